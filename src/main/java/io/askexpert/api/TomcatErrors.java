package io.askexpert.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes {@link JsonErrorValve} the host's error report valve, so Tomcat never answers in HTML. */
@Configuration(proxyBeanMethods = false)
class TomcatErrors {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // The host adds a valve of this class at start unless one is there: ours is.
                host.setErrorReportValveClass(JsonErrorValve.class.getName());
                host.getPipeline().addValve(new JsonErrorValve());
            }
        });
    }
}
