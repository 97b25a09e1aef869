# AirPlay Web Receiver: docker build -t airplay-web-receiver . ; run with docker compose (host network, see docker-compose.yml).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm brings the SignalR browser client (src/Receiver.Web/package.json).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Receiver.Core/Receiver.Core.csproj src/Receiver.Core/
COPY src/Receiver.Web/Receiver.Web.csproj src/Receiver.Web/
# Published for this platform's runtime identifier: self-contained, the framework and the receiver compiled ahead of
# time into one composite ReadyToRun image, tiered compilation off (see Receiver.Web.csproj).
RUN dotnet restore src/Receiver.Web/Receiver.Web.csproj -r linux-$(dpkg --print-architecture | sed 's/amd64/x64/')
COPY src/Receiver.Web/package.json src/Receiver.Web/package-lock.json src/Receiver.Web/
RUN cd src/Receiver.Web && npm ci --no-audit --no-fund
COPY src/ src/
RUN dotnet publish src/Receiver.Web/Receiver.Web.csproj --configuration Release --no-restore \
      -r linux-$(dpkg --print-architecture | sed 's/amd64/x64/') --output /app

# The published receiver carries its own runtime, so the image needs only the runtime's native dependencies.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# ffmpeg decodes session snapshots; curl serves the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data \
 && chown app:app /data
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Receiver__DataDirectory=/data
# The device id, pairing key and the self-signed HTTPS certificate (https-certificate.pem, https-key.pem) live here;
# keep it across upgrades so senders keep trusting the receiver and browsers keep trusting its certificate.
VOLUME /data
USER app
# Web page, API and WebSockets over HTTP and HTTPS (Receiver__Web__HttpsPort); AirPlay control; mirror data (and the
# legacy port-7100 flow).
EXPOSE 8080 8443 7000 7100
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["./Receiver.Web"]
