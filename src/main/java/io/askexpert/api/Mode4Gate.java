package io.askexpert.api;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code FF_MODE4_ENABLED=false}: every mode 4 route answers {@code 403 FORBIDDEN} before its body is
 * read, except {@code /mode4/health}, which reports the mode disabled. Missions already created keep
 * their shared control routes (pause, cancel, status, decisions), so a switched-off mode can be wound down.
 */
@Component
class Mode4Gate implements HandlerInterceptor, WebMvcConfigurer {

    private final boolean enabled;

    Mode4Gate(AskExpertSettings settings) {
        this.enabled = settings.features().mode4Enabled();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/expert/mode4/**")
                .excludePathPatterns("/api/v1/expert/mode4/health");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!enabled) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "mode 4 is disabled on this service (FF_MODE4_ENABLED=false)",
                    Map.of("feature", "FF_MODE4_ENABLED"));
        }
        return true;
    }
}
