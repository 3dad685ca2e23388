package io.askexpert.budget;

import io.askexpert.config.AskExpertSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The stale-reservation duty; {@link BudgetLedger} is a bean of its own. */
@Configuration(proxyBeanMethods = false)
class BudgetConfiguration {

    @Bean(destroyMethod = "close")
    StaleReservations staleReservations(BudgetLedger ledger, AskExpertSettings settings) {
        return new StaleReservations(ledger, settings.budgets().staleReservationAfter(), settings.budgets().sweepInterval());
    }
}
