// A third-party app's family journey through the navigator's documented API, written against
// TypeScript types generated from openapi/openapi.json (openapi-typescript) with a typed fetch
// client (openapi-fetch): a path, a parameter or a field the document does not have is a compile
// error, so `tsc` proves the document is enough to write the app.
//
// The journey: a parent registers, adds a child, asks for the certificate; the municipal operator
// activates it; the parent searches the catalog, sees the co-payment split, applies; the provider
// accepts; the parent sees the enrollment and the money reserved on the certificate.
//
// Usage: node dist/journey.js http://127.0.0.1:8080   (demo data seeded, see the README)

import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Money = components["schemas"]["Money"];

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8080";

/// The demo accounts the journey needs, as the README lists them.
const MUNICIPAL = { email: "municipal@demo.example", password: "demo-municipal" };
const PROVIDER = { email: "provider@demo.example", password: "demo-provider" };

function fail(message: string): never {
  throw new Error(message);
}

/// `data` of a successful answer, or a failure naming the problem's `code`.
function ok<T>(what: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    fail(`${what}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

/// Money is a decimal string with two digits: compared in kopecks, never as floats.
function kopecks(amount: Money): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!match) fail(`${amount} is not an amount of money`);
  const value = BigInt(match[2] ?? "0") * 100n + BigInt(match[3] ?? "0");
  return match[1] === "-" ? -value : value;
}

/// A valid SNILS from nine digits: the checksum of the Pension Fund's rule.
function snils(nine: string): string {
  const sum = [...nine].reduce((acc, digit, i) => acc + Number(digit) * (9 - i), 0);
  const control = sum < 100 ? sum : sum % 101 === 100 ? 0 : sum % 101;
  return `${nine.slice(0, 3)}-${nine.slice(3, 6)}-${nine.slice(6, 9)} ${String(control).padStart(2, "0")}`;
}

function client(token?: string) {
  return createClient<paths>({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

async function signIn(account: { email: string; password: string }): Promise<string> {
  const tokens = ok("sign in", await client().POST("/api/v1/auth/login", { body: account }));
  return tokens.access_token;
}

async function main(): Promise<void> {
  const guest = client();
  const municipalities = ok("municipalities", await guest.GET("/api/v1/municipalities"));
  const omsk = municipalities.find((m) => m.region_code === "55") ?? fail("no municipality of Omsk region");

  // The parent registers and adds a child of nine.
  const unique = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const registered = ok(
    "register",
    await guest.POST("/api/v1/auth/register", {
      body: {
        email: `parent-${unique}@client.example`,
        password: "a long and unusual family password",
        full_name: "Смирнова Ольга Ивановна",
        municipality_id: omsk.id,
      },
    }),
  );
  const family = client(registered.access_token);
  const born = new Date();
  born.setUTCFullYear(born.getUTCFullYear() - 9);
  const child = ok(
    "add a child",
    await family.POST("/api/v1/children", {
      body: {
        first_name: "Мария",
        last_name: "Смирнова",
        birth_date: born.toISOString().slice(0, 10),
        snils: snils(unique.slice(-9).padStart(9, "1")),
        municipality_id: omsk.id,
      },
    }),
  );
  const pending = ok(
    "ask for the certificate",
    await family.POST("/api/v1/children/{id}/certificate", { params: { path: { id: child.id } } }),
  );

  // The municipal operator checks the documents in person and activates it.
  const operator = client(await signIn(MUNICIPAL));
  const active = ok(
    "activate",
    await operator.POST("/api/v1/certificates/{id}/activate", {
      params: { path: { id: pending.id } },
      body: { reason: "документы проверены на приёме" },
    }),
  );
  if (active.status !== "accounting") fail(`the activated certificate is ${active.status}`);

  // The parent searches the demo provider's certified programs for a child of nine with seats.
  const staffToken = await signIn(PROVIDER);
  const staff = client(staffToken);
  const me = ok("me", await staff.GET("/api/v1/me"));
  const page = ok(
    "search",
    await family.GET("/api/v1/programs", {
      params: {
        query: {
          municipality_id: omsk.id,
          provider_id: me.provider_id ?? fail("the provider's staff has no provider"),
          funding: "certificate",
          age: 9,
          free_seats: true,
          limit: 20,
        },
      },
    }),
  );
  let choice: { groupId: string; title: string } | undefined;
  for (const summary of page.items) {
    const program = ok(
      "program",
      await family.GET("/api/v1/programs/{id}", { params: { path: { id: summary.id } } }),
    );
    const group = program.groups.find((g) => g.open && g.seats_left > 0);
    if (group) {
      const quote = await family.POST("/api/v1/quotes", {
        body: { child_id: child.id, group_id: group.id },
      });
      if (quote.data) {
        choice = { groupId: group.id, title: program.title };
        break;
      }
    }
  }
  if (!choice) fail("no program of the demo provider takes a child of nine");

  // The split before applying: the certificate pays min(balance, cost), the family the rest.
  const quote = ok(
    "quote",
    await family.POST("/api/v1/quotes", { body: { child_id: child.id, group_id: choice.groupId } }),
  );
  if (kopecks(quote.certificate) + kopecks(quote.family) !== kopecks(quote.cost)) {
    fail(`the split ${quote.certificate} + ${quote.family} is not the cost ${quote.cost}`);
  }

  const application = ok(
    "apply",
    await family.POST("/api/v1/applications", {
      params: { header: { "Idempotency-Key": crypto.randomUUID() } },
      body: { child_id: child.id, group_id: choice.groupId },
    }),
  );
  const accepted = ok(
    "accept",
    await staff.POST("/api/v1/applications/{id}/accept", {
      params: { path: { id: application.id }, header: { "Idempotency-Key": crypto.randomUUID() } },
    }),
  );
  if (accepted.status !== "accepted") fail(`the application is ${accepted.status}`);

  const certificate = ok(
    "certificate",
    await family.GET("/api/v1/certificates/{id}", { params: { path: { id: pending.id } } }),
  );
  if (certificate.status !== "financing") fail(`the certificate is ${certificate.status}`);
  if (kopecks(certificate.reserved) !== kopecks(accepted.reserved)) {
    fail(`reserved ${certificate.reserved} on the certificate, ${accepted.reserved} for the enrollment`);
  }
  console.log(
    `client: ${child.first_name} is enrolled in «${choice.title}»: the certificate pays ` +
      `${quote.certificate}, the family ${quote.family}; ${certificate.reserved} reserved, ` +
      `${certificate.balance} left on certificate ${certificate.number}`,
  );
}

main().catch((error: unknown) => {
  console.error(`client: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
