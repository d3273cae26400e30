# syntax=docker/dockerfile:1
# Tastebuds worker image: docker build -t tastebuds . && docker run -e ConnectionStrings__Postgres=... -p 9464:9464 tastebuds

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the cached restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY src/Tastebuds.Core/Tastebuds.Core.csproj src/Tastebuds.Core/
COPY src/Tastebuds.Sandbox/Tastebuds.Sandbox.csproj src/Tastebuds.Sandbox/
COPY src/Tastebuds.Worker/Tastebuds.Worker.csproj src/Tastebuds.Worker/
RUN dotnet restore src/Tastebuds.Worker/Tastebuds.Worker.csproj
COPY appsettings.json ./
COPY sql/ sql/
COPY src/ src/
RUN dotnet publish src/Tastebuds.Worker/Tastebuds.Worker.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY appsettings.json ./appsettings.json
# Logs are JSON on stderr (not a terminal); the listener must be reachable from outside the container.
ENV DOTNET_gcServer=0 \
    Telemetry__BindAddress=0.0.0.0 \
    Telemetry__Port=9464
EXPOSE 9464
# The image's unprivileged 'app' user (UID 1654).
USER $APP_UID
ENTRYPOINT ["/app/Tastebuds.Worker"]
