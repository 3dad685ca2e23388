# syntax=docker/dockerfile:1
# Ask Expert: one image, three roles (CMD serve | api | worker, or any command: db upgrade, token …).
#   docker build -t ask-expert:main-abc1234 .
# Layered: dependencies (about 280 MB, they change rarely) sit below the application layer (a few
# MB), so a new release pulls only what changed. An AOT cache (JDK 25) made by a training run at
# build time shortens every start. Runs as an unprivileged user; the health check is GET /health.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/ask-expert.jar extract --layers --destination /extracted

# The JDK rather than the JRE: jcmd (thread dumps, GC.run, JFR) is what an incident needs.
FROM eclipse-temurin:25-jdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin askexpert
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
RUN mkdir -p /app/data && chown -R askexpert /app
USER 10001
ENV PORT=8000 \
    ASK_EXPERT_DATA_DIR=/app/data

# Training run: the API starts on the embedded database and exits once its context is refreshed;
# the classes it loaded and linked go into app.aot, which every later start maps.
RUN java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
      --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar ask-expert.jar api \
 && rm -rf /app/data/* /tmp/*

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=app.aot -XX:MaxRAMPercentage=75 --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${ASK_EXPERT_JAVA_OPTS:-} -jar ask-expert.jar \"$@\"", "ask-expert"]
CMD ["serve"]
