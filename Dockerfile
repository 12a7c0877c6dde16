# One image for the three services; docker-compose.yml picks the service with `command: npm run <service>`.
# TypeScript runs through tsx (a production dependency), so there is no build stage.
FROM node:20-slim

# HOST: inside a container the services must listen on every interface (the default, 127.0.0.1, is for npm start).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY --chown=node:node tsconfig.json ./
COPY --chown=node:node lib ./lib
COPY --chown=node:node shop-api ./shop-api
COPY --chown=node:node processing ./processing
COPY --chown=node:node synchronizers ./synchronizers
COPY --chown=node:node admin ./admin

USER node

# Ports: shop-api 3000, processing 3001, synchronizers 3002 (each serves /health, /ready, /metrics).
EXPOSE 3000 3001 3002

CMD ["npm", "run", "shop-api"]
