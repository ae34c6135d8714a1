import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { loadConfig, type Config } from '../../src/config/config';

/**
 * What the manifests are checked against: the service's own settings, read from
 * src/config/config.ts (the names) and its loadConfig (the defaults), so the rules follow the code.
 */
export interface ServiceSettings {
  /** Every environment variable src/config/config.ts reads. */
  names: ReadonlySet<string>;
  /** The configuration with nothing but the required settings given: the defaults. */
  defaults: Config;
  /** Settings that carry a secret or credentials: they come from a Secret, never a ConfigMap. */
  isSecret(name: string): boolean;
  /** The bound the service's shutdown drain keeps to under `config`. */
  drain(config: Config): { setting: string; seconds: number };
}

const CONFIG_FILE = join(__dirname, '../../src/config/config.ts');

/** URLs whose user-info holds a password. */
const CREDENTIAL_URLS = new Set(['MONGO_URL', 'SMTP_URL']);
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|_KEY$/;

/** The property names of `envSchema = z.object({...})`, the one list of settings. */
export function settingNames(source = readFileSync(CONFIG_FILE, 'utf8')): Set<string> {
  const file = ts.createSourceFile(CONFIG_FILE, source, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'envSchema') {
      const findObject = (inner: ts.Node): void => {
        if (
          ts.isCallExpression(inner) &&
          ts.isPropertyAccessExpression(inner.expression) &&
          inner.expression.name.text === 'object' &&
          inner.expression.expression.getText() === 'z' &&
          inner.arguments[0] &&
          ts.isObjectLiteralExpression(inner.arguments[0])
        ) {
          for (const property of inner.arguments[0].properties) {
            if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) {
              names.add(property.name.text);
            }
          }
          return;
        }
        ts.forEachChild(inner, findObject);
      };
      findObject(node);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (names.size === 0) throw new Error(`found no settings in ${CONFIG_FILE} (is envSchema still z.object({...})?)`);
  return names;
}

/**
 * How long a SIGTERM may take to end the process: the drain is bounded by SHUTDOWN_TIMEOUT_MS, and
 * src/main.ts exits one second after it whatever still runs.
 */
const LAST_RESORT_SECONDS = 1;

function drainBound(config: Config): { setting: string; seconds: number } {
  return { setting: 'SHUTDOWN_TIMEOUT_MS + 1 s', seconds: config.SHUTDOWN_TIMEOUT_MS / 1000 + LAST_RESORT_SECONDS };
}

export function readServiceSettings(): ServiceSettings {
  const names = settingNames();
  // The two settings without a default; any well-formed value will do for reading the others.
  const defaults = loadConfig({ KAFKA_BROKERS: 'kafka:9092', MONGO_URL: 'mongodb://mongo:27017/iex' }, false);
  return {
    names,
    defaults,
    isSecret: (name) => CREDENTIAL_URLS.has(name) || SECRET_NAME.test(name),
    drain: drainBound,
  };
}
