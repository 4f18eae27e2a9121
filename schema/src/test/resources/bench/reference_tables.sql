CREATE SCHEMA reference;
CREATE TABLE reference.matches (match_id uuid PRIMARY KEY, user_a text NOT NULL, user_b text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE reference.members (match_id uuid NOT NULL, user_id text NOT NULL, PRIMARY KEY (match_id, user_id));
