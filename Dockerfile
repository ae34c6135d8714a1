# Compiles dist/ with the dev dependencies, then ships it with the production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Reachable from outside the container (the service's own default is loopback).
ENV HOST=0.0.0.0
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The image's `node` user, by number, so Kubernetes can tell it is not root (deploy/ runs as 1000).
USER 1000:1000
EXPOSE 3000
# node itself receives SIGTERM (no npm or shell in between) and shuts the service down in order.
CMD ["node", "dist/src/main.js"]
