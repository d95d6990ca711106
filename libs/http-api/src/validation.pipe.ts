import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from '@golden-loop/decider';
import { RequestInvalid } from './request-errors';

const flatten = (errors: ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/**
 * Nest's ValidationPipe turns a path or query string into a number with `+value` before any parameter pipe runs,
 * so `0x1`, `+1`, `1e0` and `" 1"` would all read as 1. Here strings stay strings: the parameter's own pipe
 * (PositiveIntegerParam, UuidParam) parses it strictly, and query DTOs parse with their own rules.
 */
class StrictValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, _metadata: ArgumentMetadata): unknown {
    return value;
  }
}

/** class-validator over every DTO: unknown fields are rejected, and each problem names its field and reason. */
export const requestValidationPipe = (): ValidationPipe =>
  new StrictValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new RequestInvalid(flatten(errors)),
  });
