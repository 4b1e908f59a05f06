-- Competencies and passed exams over time (issue 17 item 5). The program operator is the only
-- writer; `partner_competencies` and `consultant_exams` stay the records as they are now (what
-- eligibility, reservation and the directory read), and every version of a record is kept here
-- with the period it was on record: from `valid_from` (the program date of the change) until
-- `valid_until` (exclusive; NULL while current). The payment review reads these, so a delivered
-- engagement is judged by the records as they were on its delivery days. A version replaced on
-- the program date it was recorded was never in force on any day and is deleted, not closed.
CREATE TABLE partner_competency_history (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    competency TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('silver', 'gold')),
    expires_on TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    CHECK (valid_until IS NULL OR valid_until > valid_from)
) STRICT;
CREATE INDEX partner_competency_history_by_partner ON partner_competency_history (organization_id, competency, valid_from);

CREATE TABLE consultant_exam_history (
    id INTEGER PRIMARY KEY,
    consultant_id INTEGER NOT NULL REFERENCES consultants (id),
    exam TEXT NOT NULL,
    counts_toward TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    CHECK (valid_until IS NULL OR valid_until > valid_from)
) STRICT;
CREATE INDEX consultant_exam_history_by_consultant ON consultant_exam_history (consultant_id, exam, valid_from);

-- Records on file before history was kept count as on record since the program's first
-- milestone (vouchers in Partner Center, 2019-03-31).
INSERT INTO partner_competency_history (organization_id, competency, level, expires_on, valid_from)
SELECT organization_id, competency, level, expires_on, '2019-03-31' FROM partner_competencies;
INSERT INTO consultant_exam_history (consultant_id, exam, counts_toward, valid_from)
SELECT consultant_id, exam, counts_toward, '2019-03-31' FROM consultant_exams;
