// The FunctionRegistry's SQLite schema, declared once: its four tables modules (functions,
// versions and aliases, URLs, policies) share one object's storage, so a delete is atomic.
import { defineSchema } from '../storage/schema';

export const REGISTRY_SCHEMA = defineSchema({
  version: 1,
  description: 'functions, versions, version counters, aliases, function URLs and policies (the schema before versioning)',
  up: `
    CREATE TABLE IF NOT EXISTS functions (name TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS versions (
      name TEXT NOT NULL, version INTEGER NOT NULL, code_key TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, version));
    CREATE TABLE IF NOT EXISTS version_counters (name TEXT PRIMARY KEY, last_version INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS aliases (name TEXT NOT NULL, alias TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (name, alias));
    CREATE TABLE IF NOT EXISTS function_urls (
      function_name TEXT NOT NULL, qualifier TEXT NOT NULL, url_id TEXT NOT NULL UNIQUE, config TEXT NOT NULL,
      PRIMARY KEY (function_name, qualifier));
    CREATE TABLE IF NOT EXISTS function_policies (
      function_name TEXT NOT NULL, qualifier TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (function_name, qualifier));`,
});
