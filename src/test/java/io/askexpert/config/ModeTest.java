package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.missions.MissionMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

class ModeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A JSON body with a {@code mode}, as mode 3 and 4 requests will carry it. */
    record Body(Mode mode) {
    }

    @ParameterizedTest
    @CsvSource({
            "MODE1, 1, mode1_manual_interactive, mode1, MODE1_TIMEOUT, true,  false",
            "MODE2, 2, mode2_auto_interactive,   mode2, MODE2_TIMEOUT, true,  true",
            "MODE3, 3, mode3_manual_autonomous,  mode3, MODE3_TIMEOUT, false, false",
            "MODE4, 4, mode4_auto_autonomous,    mode4, MODE4_TIMEOUT, false, true"})
    void each_mode_has_the_wire_forms_of_api_md(Mode mode, int number, String wireName, String shortName,
                                                 String timeoutVariable, boolean interactive, boolean fusion) {
        assertThat(mode.number()).isEqualTo(number);
        assertThat(mode.wireName()).isEqualTo(wireName);
        assertThat(mode.shortName()).isEqualTo(shortName);
        assertThat(mode.timeoutVariable()).isEqualTo(timeoutVariable);
        assertThat(mode.interactive()).isEqualTo(interactive);
        assertThat(mode.fusionChoosesExperts()).isEqualTo(fusion);
        assertThat(Mode.of(number)).isSameAs(mode);
        assertThat(Mode.parse(Integer.toString(number))).isSameAs(mode);
        assertThat(Mode.parse(wireName)).isSameAs(mode);
        assertThat(Mode.parse(" " + wireName.toUpperCase() + " ")).isSameAs(mode);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, -1})
    void a_number_outside_1_to_4_is_refused(int number) {
        assertThatThrownBy(() -> Mode.of(number)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "5", "mode1", "MODE1", "mode5_auto_autonomous", "interactive"})
    void a_string_that_names_no_mode_is_refused(String value) {
        assertThatThrownBy(() -> Mode.parse(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void json_accepts_the_number_or_the_name_and_writes_the_name() {
        assertThat(JSON.readValue("{\"mode\": 3}", Body.class).mode()).isEqualTo(Mode.MODE3);
        assertThat(JSON.readValue("{\"mode\": \"3\"}", Body.class).mode()).isEqualTo(Mode.MODE3);
        assertThat(JSON.readValue("{\"mode\": \"mode4_auto_autonomous\"}", Body.class).mode()).isEqualTo(Mode.MODE4);
        assertThat(JSON.writeValueAsString(new Body(Mode.MODE2))).isEqualTo("{\"mode\":\"mode2_auto_interactive\"}");
        for (String bad : List.of("{\"mode\": 7}", "{\"mode\": \"mode7\"}", "{\"mode\": true}", "{\"mode\": 1.5}")) {
            assertThatThrownBy(() -> JSON.readValue(bad, Body.class)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void each_mode_has_its_own_timeout() {
        var conversion = new ApplicationConversionService();
        conversion.addConverter(new SecretConverter());
        AskExpertSettings.Modes modes = new Binder(List.of(new MapConfigurationPropertySource(Map.of(
                "ask-expert.modes.mode3-timeout", "120"))), null, conversion)
                .bindOrCreate("ask-expert", AskExpertSettings.class).modes();
        assertThat(modes.timeout(Mode.MODE1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(modes.timeout(Mode.MODE2)).isEqualTo(Duration.ofSeconds(90));
        assertThat(modes.timeout(Mode.MODE3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(modes.timeout(Mode.MODE4)).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void a_mission_mode_is_one_of_the_two_autonomous_modes() {
        assertThat(MissionMode.MODE3.mode()).isEqualTo(Mode.MODE3);
        assertThat(MissionMode.MODE4.mode()).isEqualTo(Mode.MODE4);
        assertThat(MissionMode.MODE4.number()).isEqualTo(4);
        assertThat(MissionMode.of(Mode.MODE3)).isEqualTo(MissionMode.MODE3);
        assertThat(MissionMode.of(4)).isEqualTo(MissionMode.MODE4);
        assertThatThrownBy(() -> MissionMode.of(Mode.MODE1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MissionMode.of(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
