// An independent client (Node's grpc-js, no .NET, no proto files): discovers the server
// through reflection, checks health, and calls GetTenant with and without a token.
// Usage: node check.js ADDRESS TOKEN EXPECTED_CITY_NAME
// Prints one JSON line of what it saw and exits 0 when every expectation held.
'use strict';
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const [address, token, expectedCity] = process.argv.slice(2);
if (!address || !token || !expectedCity) {
  console.error('usage: node check.js ADDRESS TOKEN EXPECTED_CITY_NAME');
  process.exit(2);
}

function unary(client, method, request, metadata) {
  return new Promise((resolve) => {
    client[method](request, metadata || new grpc.Metadata(), { deadline: Date.now() + 10000 }, (error, response) =>
      resolve({ error, response }));
  });
}

async function serviceClient(reflection, symbol) {
  const descriptor = await reflection.getDescriptorBySymbol(symbol);
  const packageObject = descriptor.getPackageObject({ keepCase: true, longs: String, enums: String, defaults: true });
  const Ctor = symbol.split('.').reduce((o, part) => o[part], packageObject);
  return new Ctor(address, grpc.credentials.createInsecure());
}

(async () => {
  const seen = { failures: [] };
  const reflection = new GrpcReflection(address, grpc.credentials.createInsecure());
  seen.services = (await reflection.listServices()).sort();
  for (const s of ['grpc.health.v1.Health', 'srs.tenancy.v1.TenantService', 'srs.residents.v1.ResidentService']) {
    if (!seen.services.includes(s)) seen.failures.push(`service ${s} not listed`);
  }

  const health = await serviceClient(reflection, 'grpc.health.v1.Health');
  const h = await unary(health, 'Check', { service: '' });
  seen.health = h.error ? `error ${h.error.code}` : h.response.status;
  if (seen.health !== 'SERVING') seen.failures.push(`health is ${seen.health}`);

  const tenants = await serviceClient(reflection, 'srs.tenancy.v1.TenantService');
  const anonymous = await unary(tenants, 'GetTenant', { name: '' });
  seen.withoutToken = anonymous.error ? grpc.status[anonymous.error.code] : 'OK';
  if (seen.withoutToken !== 'UNAUTHENTICATED') seen.failures.push(`without a token: ${seen.withoutToken}`);

  const metadata = new grpc.Metadata();
  metadata.add('authorization', `Bearer ${token}`);
  const mine = await unary(tenants, 'GetTenant', { name: '' }, metadata);
  seen.withToken = mine.error ? `error ${grpc.status[mine.error.code]}: ${mine.error.details}` : mine.response;
  if (mine.error || mine.response.display_name !== expectedCity) seen.failures.push(`GetTenant did not return ${expectedCity}`);

  console.log(JSON.stringify(seen));
  health.close(); tenants.close();
  process.exit(seen.failures.length === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
