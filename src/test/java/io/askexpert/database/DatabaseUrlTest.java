package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://db:5432/app?user=u                      | jdbc:postgresql://db:5432/app?user=u        |      |
            postgres://alice:s3cr%40t@db.example.com:6543/askexpert   | jdbc:postgresql://db.example.com:6543/askexpert | alice | s3cr@t
            postgresql://bob@localhost/x?sslmode=require              | jdbc:postgresql://localhost:5432/x?sslmode=require | bob |
            postgres://carol:pw@host                                  | jdbc:postgresql://host:5432/postgres        | carol | pw
            """)
    void accepts_jdbc_and_provider_urls(String raw, String jdbc, String user, String password) {
        DatabaseUrl url = DatabaseUrl.parse(raw);
        assertThat(url.jdbcUrl()).isEqualTo(jdbc);
        assertThat(url.username()).isEqualTo(user);
        assertThat(url.password()).isEqualTo(password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://x/y", "not a url", "postgres:///nohost"})
    void rejects_what_is_not_postgres_naming_the_variable(String raw) {
        assertThatThrownBy(() -> DatabaseUrl.parse(raw)).hasMessageContaining("DATABASE_URL");
    }

    @org.junit.jupiter.api.Test
    void never_prints_the_password() {
        assertThat(DatabaseUrl.parse("postgres://alice:hunter2@db/x").toString()).doesNotContain("hunter2");
    }
}
