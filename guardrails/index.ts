export * from './check';
export * from './core/policy-document';
export * from './report';
export * from './core/rule';
export * from './rules';
export * from './security-checks';
export * from '../shared/suppressions';
export * from './core/terraform-json';
