export { fold, type CommandMetadata, type Decider, type DomainEvent } from './decider';
export { DomainError, isDomainError, type DomainErrorKind, type FieldProblem } from './domain-error';
