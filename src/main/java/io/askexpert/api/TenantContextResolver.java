package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands controllers the caller's {@link TenantContext}, resolved by {@link Authentication}. */
final class TenantContextResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == TenantContext.class;
    }

    @Override
    public TenantContext resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                         NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        TenantContext tenant = request == null ? null : Authentication.current(request);
        if (tenant == null) {
            // A public route asked for a tenant: a wiring mistake, but still never a 500 for the caller.
            throw new AskExpertException(ErrorCode.UNAUTHORIZED, "this route needs a Bearer token");
        }
        return tenant;
    }
}
