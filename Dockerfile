# One image for the three services and the admin CLI, built in two stages. docker-compose.yml builds it once and
# picks the service with `command: ["node", "dist/<service>/main.js"]`.

# Build: every dependency, the TypeScript sources, `npm run build` into dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY lib ./lib
COPY shop-api ./shop-api
COPY processing ./processing
COPY synchronizers ./synchronizers
COPY admin ./admin
RUN npm run build

# Run: production dependencies and the compiled JavaScript only; node is PID 1's child (compose `init: true`),
# with no npm or shell in between, so SIGTERM reaches the service directly.
# HOST: inside a container the services must listen on every interface (the default, 127.0.0.1, is for npm start).
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit && npm cache clean --force
COPY --from=build --chown=node:node /app/dist ./dist
USER node

# Ports: shop-api 3000, processing 3001, synchronizers 3002 (each serves /health, /ready, /metrics).
EXPOSE 3000 3001 3002

CMD ["node", "dist/shop-api/main.js"]
