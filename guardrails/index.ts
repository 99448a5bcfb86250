export * from './check';
export * from './policy-document';
export * from './report';
export * from './rule';
export * from './rules';
export * from './security-checks';
export * from './suppressions';
export * from './terraform-json';
