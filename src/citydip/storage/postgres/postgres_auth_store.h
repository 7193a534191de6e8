// The PostgreSQL backend of the AuthStore: users, sessions and the audit log in tables of their
// own (auth_users, auth_sessions, auth_audit) next to the registry's, on a connection of their
// own — so that several `citydip serve` processes in front of one PostgreSQL database share
// their users, sessions and audit trail.
#pragma once

#include <memory>
#include <string>

#include "citydip/core/result.h"
#include "citydip/storage/auth_store.h"

namespace citydip::storage::postgres {

/// Connects to `url` (as OpenPostgresStore) and creates the auth tables when missing (serialized
/// with other citydips doing the same). Errors as OpenPostgresStore's.
[[nodiscard]] Result<std::unique_ptr<AuthStore>> OpenPostgresAuthStore(const std::string& url);

}  // namespace citydip::storage::postgres
