# The WeDrawOS front: docker build -f deploy/front.Dockerfile -t wedrawos-front .   (from the repository root)
# The pages' client library (clients/js/dist) is built with Node.js; the .NET image has none, and the front's build
# then takes the dist/ it finds.
FROM node:20-bookworm-slim AS client
WORKDIR /src/clients/js
COPY clients/js/ .
RUN npm ci --no-audit --no-fund && npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
COPY --from=client /src/clients/js/dist clients/js/dist
RUN dotnet publish WebFront/WebFront.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the health check below.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user (uid 1654); listen on every interface of the container.
USER $APP_UID
ENV ASPNETCORE_ENVIRONMENT=Production HTTP_HOST=0.0.0.0 HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "WeDrawOS.WebFront.dll"]
