import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * The rate limit per token (@nestjs/throttler, RATE_LIMIT_PER_MINUTE): counted by the token's subject once the
 * AuthGuard verified it, else by address. Per instance: behind a load balancer the network's limit is the sum.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as Request;
    return Promise.resolve(req.principal ? `user:${req.principal.userId}` : `address:${req.ip ?? 'unknown'}`);
  }
}
