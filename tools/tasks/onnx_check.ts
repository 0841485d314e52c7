/**
 * Validates `.onnx` files with the official ONNX checker (`onnx.checker.check_model(model,
 * full_check=True)`: schema, types, shapes via strict shape inference, opset, topological order).
 * It needs Python with the `onnx` package (Debian: `apt-get install python3-onnx`); without it the
 * script says so and exits 0, so it can run anywhere.
 *
 * Usage: `deno run -A tools/tasks/onnx_check.ts [file-or-folder ...]` (default: fixtures/models).
 * To check the exporter's parity models too:
 * `ONNX_PARITY_DUMP=/tmp/parity deno test -A lib/onnx/parity_test.ts && deno run -A tools/tasks/onnx_check.ts /tmp/parity`
 *
 * @module
 */

const CHECK = `
import sys, onnx
failed = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opset = max(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
        print(f"ok    {path} (IR {model.ir_version}, opset {opset}, {len(model.graph.node)} nodes)")
    except Exception as error:
        failed += 1
        print(f"FAIL  {path}: {error}")
print(f"onnx {onnx.__version__} checker: {len(sys.argv) - 1 - failed} valid, {failed} invalid")
sys.exit(1 if failed else 0)
`;

async function pythonWithOnnx(): Promise<string | undefined> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const probe = await new Deno.Command(python, {
        args: ["-c", "import onnx"],
        stdout: "null",
        stderr: "null",
      }).output();
      if (probe.success) return python;
    } catch {
      // not installed: try the next candidate
    }
  }
  return undefined;
}

async function onnxFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await Deno.stat(path)).isDirectory) {
      for await (const entry of Deno.readDir(path)) {
        if (entry.isFile && entry.name.endsWith(".onnx")) files.push(`${path}/${entry.name}`);
      }
    } else {
      files.push(path);
    }
  }
  return files.sort();
}

const files = await onnxFiles(Deno.args.length ? Deno.args : ["fixtures/models"]);
const python = await pythonWithOnnx();
if (!python) {
  console.log("skipped: no Python with the onnx package (Debian: apt-get install python3-onnx)");
} else if (files.length === 0) {
  console.log("no .onnx files to check");
} else {
  const { code } = await new Deno.Command(python, { args: ["-c", CHECK, ...files] }).spawn().status;
  Deno.exit(code);
}
