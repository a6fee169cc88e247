import { applyDecorators, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExtension, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { CogName } from './cog-registry';
import { CogGate } from './cog-gate.interceptor';
import { CogRoutesGuard } from './cog-routes.guard';
import { COG_FEATURE } from './cog-state';

export { COG_DISABLED_REPLY, CogDisabled, COG_FEATURE, cogLoaded } from './cog-state';

/**
 * Marks a gateway or Discord command class (or one handler) as part of a cog: while the cog is
 * unloaded its slash commands answer an ephemeral "This feature is disabled", and its listeners and
 * socket events do nothing (CogGate).
 */
export const CogFeature = (cog: CogName) =>
  applyDecorators(SetMetadata(COG_FEATURE, cog), UseInterceptors(CogGate));

/**
 * The same for a controller: its routes answer 503 COG_DISABLED, and OpenAPI says so. A guard, not
 * the interceptor: it runs after the global guards (authentication first), and a route without
 * interceptors skips the Observable pipeline Nest builds around every intercepted handler.
 */
export const CogRoutes = (cog: CogName) =>
  applyDecorators(
    SetMetadata(COG_FEATURE, cog),
    UseGuards(CogRoutesGuard),
    ApiExtension('x-cog', cog),
    ApiServiceUnavailableResponse({ description: `The ${cog} cog is unloaded (COG_DISABLED)` }),
  );
