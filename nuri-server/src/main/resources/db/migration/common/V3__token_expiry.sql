-- Tokens expire (90 days after they are made unless the maker says otherwise); their last use is kept, to the
-- hour, for operators to see. Tokens made before this version get their expiry when the server first starts.
ALTER TABLE api_token ADD COLUMN expires_at BIGINT;
ALTER TABLE api_token ADD COLUMN last_used_at BIGINT;
