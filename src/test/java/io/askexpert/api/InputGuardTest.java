package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputGuardTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NONE", value = {
            "q=hello&limit=5,NONE",
            "q=caf%C3%A9+au+lait,NONE",
            "flag,NONE",
            "q=%E2%80%AE,NONE",
            "q=a%00b,q",
            "q=%C3%28,q",
            "limit=%FF,limit",
            "a=%G1,a",
            "x=%,x",
            "%00=1,''",
            "%C3%28=1,''"})
    void names_the_parameter_that_cannot_be_stored(String query, String field) {
        assertThat(InputGuard.problem(query)).isEqualTo(field);
    }
}
