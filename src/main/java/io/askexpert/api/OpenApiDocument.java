package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /api/v1/expert/openapi.json} says what a client needs: every
 * route requires the bearer JWT except the public ones, {@code X-Tenant-ID} is an optional header,
 * and the caller's {@link TenantContext} (resolved from the token) is not a parameter.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocument {

    static final String BEARER = "bearer-jwt";

    OpenApiDocument() {
        // springdoc keeps this list in its own process-wide configuration.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(TenantContext.class);
    }

    @Bean
    OpenAPI askExpertOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Ask Expert API").version("v2"))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("HS256 JWT: sub = user, aud = authenticated, tenant in tenant_id or app_metadata.tenant_id")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer publicRoutesAndTenantHeader() {
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                if (!Authentication.isProtected(path.replaceAll("\\{[^}]+}", "1"))) {
                    operation.setSecurity(List.of());
                } else {
                    operation.addParametersItem(new HeaderParameter().name(Authentication.TENANT_HEADER).required(false)
                            .schema(new StringSchema().maxLength(128))
                            .description("The tenant, when the token names none (accepted for known members only)"));
                }
            }));
        };
    }
}
