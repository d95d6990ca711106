# syntax=docker/dockerfile:1
# One image recipe for every service:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=plan -t golden-loop/plan .
# The build stage compiles the service and its libraries and installs production dependencies
# (infra/docker/build-service.cjs, the same script `npm run build:service` runs); the runtime stage holds only that,
# runs as the unprivileged `node` user of the official image, and starts with plain node.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /src
COPY package.json package-lock.json tsconfig.base.json ./
COPY libs libs
COPY services services
COPY infra/docker/build-service.cjs infra/docker/build-service.cjs
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && node infra/docker/build-service.cjs "${SERVICE}" /out

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=node:node /out/app /app
USER node
EXPOSE 3001 3002 3003
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["sh", "-c", "exec node services/${SERVICE}/src/main.js"]
