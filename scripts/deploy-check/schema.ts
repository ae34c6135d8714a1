import ts from 'typescript';
import { resourceName, type Manifest, type Problem } from './manifests';

/**
 * Validates objects against the Kubernetes API schemas that the `kubernetes-models` package carries
 * (its JSON schemas compiled to validators), so nothing is fetched. Those schemas, like the API's
 * OpenAPI document, allow fields they do not name, where `kubectl apply` refuses them (strict field
 * validation): a misspelt or misplaced field would pass unseen. So the fields are also checked
 * against the package's type declarations of the same schemas.
 */

interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

interface ModelClass {
  new (data: Record<string, unknown>): { validate(): void };
}

/** `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`; the core group is plain `v1`. */
const modelModule = ({ apiVersion, kind }: Pick<Manifest, 'apiVersion' | 'kind'>) =>
  `kubernetes-models/${apiVersion}/${kind}`;

/** `/spec/template/spec/containers/0/ports` → `spec.template.spec.containers[0].ports`. */
export function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function describe(error: AjvError): string {
  const { params = {} } = error;
  if (Array.isArray(params.allowedValues)) return `must be one of ${params.allowedValues.join(', ')}`;
  if (typeof params.missingProperty === 'string') return `must have field ${params.missingProperty}`;
  return error.message ?? 'is invalid';
}

async function loadModel(manifest: Manifest): Promise<ModelClass | undefined> {
  try {
    const module = (await import(modelModule(manifest))) as Record<string, ModelClass | undefined>;
    return module[manifest.kind];
  } catch {
    return undefined;
  }
}

/** Field names the API does not know, found by walking the object beside its declared type. */
class FieldChecker {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;

  constructor(private readonly declarations: Map<string, string>) {
    this.program = ts.createProgram([...new Set(declarations.values())], {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      noEmit: true,
      types: [],
    });
    this.checker = this.program.getTypeChecker();
  }

  /** The .d.ts of a model module, resolved as a TypeScript import would be; undefined if none. */
  static declarationFile(manifest: Manifest): string | undefined {
    const { resolvedModule } = ts.resolveModuleName(
      modelModule(manifest),
      `${process.cwd()}/index.ts`,
      { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
      ts.sys,
    );
    return resolvedModule?.resolvedFileName;
  }

  unknownFields(manifest: Manifest): Array<{ path: string; field: string }> {
    const file = this.program.getSourceFile(this.declarations.get(modelModule(manifest)) ?? '');
    const declaration = file?.statements.find(
      (statement): statement is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(statement) && statement.name.text === `I${manifest.kind}`,
    );
    if (!declaration) return [];
    const found: Array<{ path: string; field: string }> = [];
    this.walk(manifest.body, this.checker.getTypeAtLocation(declaration), '', found);
    return found;
  }

  private walk(value: unknown, declared: ts.Type, path: string, found: Array<{ path: string; field: string }>): void {
    if (value === null || typeof value !== 'object') return; // scalars are the schema's job
    const type = this.checker.getNonNullableType(declared);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (Array.isArray(value)) {
      const element = this.checker.isArrayType(type)
        ? this.checker.getTypeArguments(type as ts.TypeReference)[0]
        : undefined;
      if (element) value.forEach((item, index) => this.walk(item, element, `${path}[${index}]`, found));
      return;
    }
    // Of a union (IntOrString and the like) only object members describe fields.
    const members = type.isUnion() ? type.types.filter((member) => member.flags & ts.TypeFlags.Object) : [type];
    if (members.length !== 1 || !members[0]) return;
    const objectType = members[0];
    const map = this.checker.getIndexInfoOfType(objectType, ts.IndexKind.String);
    for (const [field, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${field}` : field;
      const property = objectType.getProperty(field);
      if (property) this.walk(child, this.checker.getTypeOfSymbol(property), childPath, found);
      else if (map) this.walk(child, map.type, childPath, found);
      else found.push({ path: childPath, field });
    }
  }
}

/** Every problem the API's schema finds in the manifests (Kustomize's file excepted). */
export async function schemaProblems(manifests: Manifest[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const known: Array<{ manifest: Manifest; declaration: string | undefined }> = [];
  for (const manifest of manifests.filter(({ kind }) => kind !== 'Kustomization')) {
    const resource = resourceName(manifest);
    const Model = await loadModel(manifest);
    if (!Model) {
      problems.push({
        file: manifest.file,
        resource,
        path: 'apiVersion',
        message: `no schema for ${manifest.apiVersion} ${manifest.kind} (misspelt kind or apiVersion, or an API Kubernetes no longer serves)`,
      });
      continue;
    }
    try {
      new Model(manifest.body).validate();
    } catch (error) {
      const errors = (error as { errors?: AjvError[] }).errors;
      if (!errors) throw error;
      for (const found of errors) {
        problems.push({
          file: manifest.file,
          resource,
          path: dottedPath(found.instancePath),
          message: describe(found),
        });
      }
    }
    known.push({ manifest, declaration: FieldChecker.declarationFile(manifest) });
  }
  const declarations = new Map(
    known.flatMap(({ manifest, declaration }) => (declaration ? [[modelModule(manifest), declaration] as const] : [])),
  );
  const fields = new FieldChecker(declarations);
  for (const { manifest } of known) {
    for (const { path, field } of fields.unknownFields(manifest)) {
      problems.push({
        file: manifest.file,
        resource: resourceName(manifest),
        path,
        message: `unknown field "${field}" (Kubernetes refuses it)`,
      });
    }
  }
  return problems;
}
