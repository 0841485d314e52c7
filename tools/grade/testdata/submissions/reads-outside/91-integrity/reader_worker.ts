// @ts-nocheck: hostile on purpose. Imports what it is sent, from a Worker.
self.onmessage = async (event) => {
  const found = [];
  for (const spec of event.data) {
    try {
      found.push(`read ${spec}: ${JSON.stringify((await import(spec, { with: { type: "json" } })).default)}`);
    } catch (error) {
      found.push(`${spec}: ${error.message}`);
    }
  }
  self.postMessage(found.join("\n"));
};
