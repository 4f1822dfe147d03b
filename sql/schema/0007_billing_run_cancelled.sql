/*
Cst.Actors schema 0007: a running billing run can be cancelled by an operator, and an ente that cannot be billed is
recorded as failed with its reason instead of holding the run up.

Implementation notes:

1) billing_run.status gains 'cancelled': an operator stopped the run while it was running (cst billing cancel),
   recorded with cancelled_by and cancelled_at (also in the audit log). The rows a cancelled attempt wrote stay
   until the run is started again, which discards them as it does for any earlier attempt (0002, note 1).

2) billing_run_ente.error already holds why an ente failed (0002). A failure is now also recorded when the ente's
   statement cannot be written (an amount that does not fit numeric(12,2), a constraint or trigger refusing it):
   the other enti of the same write are written on their own, and the run completes with that ente failed.
   A final run with a failed ente cannot be closed until it is corrected and the run computed again (--recompute).
*/

ALTER TABLE billing_run DROP CONSTRAINT billing_run_status;
ALTER TABLE billing_run ADD CONSTRAINT billing_run_status CHECK (status IN ('running', 'completed', 'closed', 'cancelled'));
ALTER TABLE billing_run ADD COLUMN cancelled_by text NULL;
ALTER TABLE billing_run ADD COLUMN cancelled_at timestamptz NULL;
