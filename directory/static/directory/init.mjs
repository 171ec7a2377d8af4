// For pages that cannot carry a CSP nonce (error pages): start GOV.UK Frontend, Exit this page included.
import { initAll } from "../dist/govuk-frontend.min.js";

initAll();
