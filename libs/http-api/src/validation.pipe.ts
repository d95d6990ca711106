import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldProblem } from './error-body';
import { RequestInvalid } from './error.filter';

const flatten = (errors: ValidationError[], parent = ''): FieldProblem[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** class-validator over every DTO: unknown fields are rejected, and each problem names its field and reason. */
export const requestValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new RequestInvalid(flatten(errors)),
  });
