# The WeDrawOS silo: docker build -f deploy/silo.Dockerfile -t wedrawos-silo .   (from the repository root)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the health check below.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user (uid 1654); listen on every interface of the container.
USER $APP_UID
ENV ASPNETCORE_ENVIRONMENT=Production HTTP_HOST=0.0.0.0 HTTP_PORT=8081
EXPOSE 8081 11111 30000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://127.0.0.1:8081/health/live || exit 1
ENTRYPOINT ["dotnet", "WeDrawOS.Silo.dll"]
