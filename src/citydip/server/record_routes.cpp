// GET /api/schema, GET /api/vocabularies, and every registry kind under /api/KIND:
// list (GET, with the CLI's filters, q and paging), get (GET /ID), create (POST, 201),
// update (PUT /ID), delete (DELETE /ID).
#include <array>
#include <string>
#include <string_view>

#include "citydip/app/record_service.h"
#include "citydip/server/internal/server_impl.h"

namespace citydip::server::internal {
namespace {

constexpr std::string_view kKindPattern = "/api/([a-z_]+)";
constexpr std::string_view kIdPattern = "/api/([a-z_]+)/([^/]+)";

// The kind named in the path; replies 404 when there is none.
std::optional<RecordKind> KindOrReply(RequestContext& context) {
  const std::string name = context.request().matches[1].str();
  auto kind = ParseRecordKind(name);
  if (!kind) {
    std::string kinds;
    for (RecordKind each : AllRecordKinds()) {
      kinds += (kinds.empty() ? "" : ", ") + std::string(RecordKindName(each));
    }
    SendError(
        context.response(),
        {ErrorCode::kNotFound,
         "no API endpoint /api/" + name + " (expected a record kind: " + kinds + ")", "path"});
  }
  return kind;
}

// The record id in the path; replies 404 when it is not a positive whole number.
std::optional<RecordId> IdOrReply(RequestContext& context, RecordKind kind) {
  const std::string text = context.request().matches[2].str();
  auto id = ParseInt64(text);
  if (!id || *id <= 0) {
    SendError(context.response(), {ErrorCode::kNotFound,
                                   "no " + std::string(RecordKindName(kind)) + " record '" + text +
                                       "' (expected a record id, a whole number)",
                                   "id"});
    return std::nullopt;
  }
  return *id;
}

bool BodyOrReply(RequestContext& context, nlohmann::json& body) {
  int status = 400;
  auto parsed = ParseJsonBody(context.request(), status);
  if (!parsed) {
    SendError(context.response(), parsed.error(), status);
    return false;
  }
  body = std::move(*parsed);
  return true;
}

void SendWriteError(RequestContext& context, const app::WriteError& error) {
  SendJson(context.response(), HttpStatusFor(error.error.code), app::ToJson(error));
}

void List(RequestContext& context) {
  auto kind = KindOrReply(context);
  if (!kind) {
    return;
  }
  const auto& request = context.request();
  app::FilterText text;
  const std::array<std::pair<std::string_view, std::string*>, 14> parameters = {{
      {"home", &text.home},
      {"partner", &text.partner},
      {"from", &text.from},
      {"to", &text.to},
      {"type", &text.type},
      {"framework", &text.framework},
      {"mode", &text.mode},
      {"level", &text.level},
      {"topic", &text.topic},
      {"org", &text.org},
      {"q", &text.text},
      {"include_imprecise", &text.include_imprecise},
      {"limit", &text.limit},
      {"offset", &text.offset},
  }};
  for (const auto& [name, value] : request.params) {
    bool known = false;
    for (const auto& [parameter, target] : parameters) {
      if (parameter == name) {
        *target = value;
        known = true;
      }
    }
    if (!known) {
      std::string names;
      for (const auto& [parameter, target] : parameters) {
        names += (names.empty() ? "" : ", ") + std::string(parameter);
      }
      SendError(context.response(),
                {ErrorCode::kInvalidArgument,
                 "unknown parameter '" + name + "' (expected " + names + ")", name});
      return;
    }
  }
  auto store = context.Registry();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto filter = app::BuildEventFilter(**store, text);
  if (!filter) {
    SendError(context.response(), filter.error());
    return;
  }
  auto page = app::SearchRecords(**store, *kind, *filter);
  SendResult(context.response(), page, [&](const app::RecordPage& value) {
    nlohmann::json json = {{"items", value.items},
                           {"total", value.total},
                           {"limit", filter->limit},
                           {"offset", filter->offset}};
    if (value.imprecise_excluded > 0) {
      json["imprecise_excluded"] = value.imprecise_excluded;
    }
    return json;
  });
}

void Get(RequestContext& context) {
  auto kind = KindOrReply(context);
  if (!kind) {
    return;
  }
  auto id = IdOrReply(context, *kind);
  if (!id) {
    return;
  }
  auto store = context.Registry();
  if (!store) {
    SendError(context.response(), store.error());
    return;
  }
  auto record = app::GetRecord(**store, *kind, *id);
  SendResult(context.response(), record, [](const app::StoredRecord& value) { return value.json; });
}

void Create(RequestContext& context) {
  auto kind = KindOrReply(context);
  if (!kind) {
    return;
  }
  // The role check comes before the body is looked at: a viewer gets 403 whatever it sends.
  if (auto allowed = app::RequireRole(context.actor, app::Role::kEditor, "write records");
      !allowed) {
    SendError(context.response(), allowed.error());
    return;
  }
  nlohmann::json body;
  if (!BodyOrReply(context, body)) {
    return;
  }
  auto store = context.Registry();
  auto audit = context.Auth();
  for (const Error* error : {store ? nullptr : &store.error(), audit ? nullptr : &audit.error()}) {
    if (error != nullptr) {
      SendError(context.response(), *error);
      return;
    }
  }
  auto created =
      app::CreateRecord(**store, **audit, context.server().auth, context.actor, *kind, body);
  if (!created) {
    SendWriteError(context, created.error());
    return;
  }
  context.response().set_header("Location", "/api/" + std::string(RecordKindName(*kind)) + "/" +
                                                std::to_string(IdOf(created->record)));
  SendJson(context.response(), 201, created->json);
}

void Update(RequestContext& context) {
  auto kind = KindOrReply(context);
  if (!kind) {
    return;
  }
  auto id = IdOrReply(context, *kind);
  if (!id) {
    return;
  }
  if (auto allowed = app::RequireRole(context.actor, app::Role::kEditor, "write records");
      !allowed) {
    SendError(context.response(), allowed.error());
    return;
  }
  nlohmann::json body;
  if (!BodyOrReply(context, body)) {
    return;
  }
  // If-Match carries the version the client read, when the body does not.
  if (const std::string match = context.request().get_header_value("If-Match");
      body.is_object() && !body.contains("version") && !match.empty()) {
    std::string_view digits(match);
    if (digits.size() >= 2 && digits.front() == '"' && digits.back() == '"') {
      digits = digits.substr(1, digits.size() - 2);
    }
    if (auto version = ParseInt64(digits)) {
      body["version"] = *version;
    }
  }
  auto store = context.Registry();
  auto audit = context.Auth();
  for (const Error* error : {store ? nullptr : &store.error(), audit ? nullptr : &audit.error()}) {
    if (error != nullptr) {
      SendError(context.response(), *error);
      return;
    }
  }
  auto updated =
      app::UpdateRecord(**store, **audit, context.server().auth, context.actor, *kind, *id, body);
  if (!updated) {
    SendWriteError(context, updated.error());
    return;
  }
  SendJson(context.response(), 200, updated->json);
}

void Delete(RequestContext& context) {
  auto kind = KindOrReply(context);
  if (!kind) {
    return;
  }
  auto id = IdOrReply(context, *kind);
  if (!id) {
    return;
  }
  std::optional<std::int64_t> version;
  if (const std::string text = context.request().get_param_value("version"); !text.empty()) {
    version = ParseInt64(text);
    if (!version) {
      SendError(context.response(),
                {ErrorCode::kInvalidArgument,
                 "version '" + text + "' is not valid (expected a whole number)", "version"});
      return;
    }
  }
  auto store = context.Registry();
  auto audit = context.Auth();
  for (const Error* error : {store ? nullptr : &store.error(), audit ? nullptr : &audit.error()}) {
    if (error != nullptr) {
      SendError(context.response(), *error);
      return;
    }
  }
  auto deleted = app::DeleteRecord(**store, **audit, context.server().auth, context.actor, *kind,
                                   *id, version);
  if (!deleted) {
    SendWriteError(context, deleted.error());
    return;
  }
  context.response().status = 204;
}

}  // namespace

void RegisterRecordRoutes(ServerState& server) {
  auto& http = server.http;
  http.Get("/api/schema", Route(server, Access::kRead, [](RequestContext& context) {
             SendJson(
                 context.response(), 200,
                 {{"kinds", app::RecordSchemaJson()}, {"vocabularies", app::VocabulariesJson()}});
           }));
  http.Get("/api/vocabularies", Route(server, Access::kRead, [](RequestContext& context) {
             SendJson(context.response(), 200, app::VocabulariesJson());
           }));
  http.Get(std::string(kKindPattern), Route(server, Access::kRead, List));
  http.Post(std::string(kKindPattern), Route(server, Access::kLogin, Create));
  http.Get(std::string(kIdPattern), Route(server, Access::kRead, Get));
  http.Put(std::string(kIdPattern), Route(server, Access::kLogin, Update));
  http.Delete(std::string(kIdPattern), Route(server, Access::kLogin, Delete));
}

}  // namespace citydip::server::internal
