// Which layer may import which (README › Working on Loupe). Checked by boundaries.test.ts over the
// real tree, and over violations/, a small tree that breaks each rule once, so a rule that could
// never fire is caught too.
import type { IForbiddenRuleType } from "dependency-cruiser";

export const RULES: IForbiddenRuleType[] = [
  {
    name: "domain-without-http",
    comment: "The domain and the image pipeline run outside requests too (queue, cron, rooms): they never import the HTTP layer.",
    severity: "error",
    from: { path: "^worker/(domain|images)/" },
    to: { path: "^worker/(http|routes)/" },
  },
  {
    name: "rooms-without-http",
    comment: "Of the worker's side of rooms, only the socket and its routes are HTTP; tickets, signals, the mirror and the backend are not.",
    severity: "error",
    from: { path: "^worker/rooms/", pathNot: "^worker/rooms/(routes|socket)\\.ts$" },
    to: { path: "^worker/(http|routes)/" },
  },
  {
    name: "party-without-worker",
    comment: "The room depends on its RoomBackend interface, not on the worker (shared types excepted).",
    severity: "error",
    from: { path: "^party/" },
    to: { path: "^worker/", pathNot: "^worker/contract/" },
  },
  {
    name: "d1-only-in-db",
    comment: "Only worker/db opens a D1 database; everything else gets a TenantDb or the directory.",
    severity: "error",
    from: { pathNot: "^worker/db/" },
    to: { path: "node_modules/drizzle-orm/d1/" },
  },
  {
    name: "web-only-shared-code",
    comment: "The browser apps import the API contract and the room's document, nothing else of the server.",
    severity: "error",
    from: { path: "^web/" },
    to: { path: "^(worker|party)/", pathNot: "^(worker/contract/[^/]+\\.ts|party/doc\\.ts)$" },
  },
  {
    name: "contract-stands-alone",
    comment: "The contract is types and constants the browser can import: it imports only itself and the room's document.",
    severity: "error",
    from: { path: "^worker/contract/" },
    to: { pathNot: "^(worker/contract/[^/]+\\.ts|party/doc\\.ts)$" },
  },
  {
    name: "db-below-domain",
    comment: "Schemas and the shard routing know nothing of what uses them.",
    severity: "error",
    from: { path: "^worker/db/" },
    to: { path: "^worker/(domain|images|rooms|http|routes|pages)/" },
  },
  {
    name: "routes-through-domain",
    comment: "Routes parse, authorize, call the domain and respond; queries live in the domain.",
    severity: "error",
    from: { path: "^worker/routes/" },
    to: { path: "^worker/db/" },
  },
  {
    name: "pages-through-domain",
    comment: "Pages render what the domain hands them.",
    severity: "error",
    from: { path: "^worker/pages/" },
    to: { path: "^worker/db/" },
  },
  {
    name: "http-below-routes",
    comment: "The pipeline serves every route and knows none of them.",
    severity: "error",
    from: { path: "^worker/http/" },
    to: { path: "^worker/routes/" },
  },
  {
    name: "lib-at-the-bottom",
    comment: "worker/lib (errors, origins, bytes, money) is imported by every layer and imports none of them.",
    severity: "error",
    from: { path: "^worker/lib/" },
    to: { path: "^(party/|worker/(?!lib/|contract/))" },
  },
  {
    name: "no-cycles",
    comment: "A cycle makes two modules one; split what both need into a third.",
    severity: "error",
    from: { path: "^(worker|party|web)/" },
    to: { circular: true },
  },
];
