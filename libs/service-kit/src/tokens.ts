/** The service's validated configuration object (its ServiceConfig subclass). */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The service's name, as in its logs, metrics and `ce_source`. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
