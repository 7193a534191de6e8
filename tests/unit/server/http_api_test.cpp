// The HTTP API over real HTTP: a server on a free loopback port, a registry and users in a
// temporary SQLite file, requests from cpp-httplib's client (and raw sockets where the client
// would tidy the request up).
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "citydip/app/auth_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/server/server.h"
#include "test_support.h"

namespace citydip::server {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Sends `request` as is and returns the whole response (status line, headers, body).
std::string RawRequest(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return "";
  }
  (void)::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      break;
    }
    response.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

json Body(const httplib::Result& result) {
  return json::parse(result->body, nullptr, /*allow_exceptions=*/false);
}

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(false); }
  void TearDown() override { StopServer(); }

  void StartServer(bool public_read) {
    ASSERT_TRUE(dir_.ok());
    db_ = dir_.File("registry.db");
    {
      auto store = app::OpenStore(db_);
      ASSERT_TRUE(store) << store.error().ToString();
      for (const auto& city : {testing::MakeCity("Seoul", "서울", "KOR"),
                               testing::MakeCity("Beijing", "베이징", "CHN"),
                               testing::MakeCity("Shanghai", "상하이", "CHN")}) {
        auto id = (*store)->Insert(city);
        ASSERT_TRUE(id) << id.error().ToString();
      }
      auto auth_store = app::OpenAuthStore(db_);
      ASSERT_TRUE(auth_store) << auth_store.error().ToString();
      app::AuthOptions options;
      options.password_cost = testing::FastCost();
      app::AuthService auth(options);
      const app::Actor root{0, "cli:test", app::Role::kAdmin};
      for (const auto& [name, role] : {std::pair{"admin", app::Role::kAdmin},
                                       {"editor", app::Role::kEditor},
                                       {"viewer", app::Role::kViewer}}) {
        auto user = auth.AddUser(**auth_store, root, name, role, std::string(name) + " password!");
        ASSERT_TRUE(user) << user.error().ToString();
      }
    }
    // A dashboard root with one page, and a secret file beside it that must stay unreachable.
    std::filesystem::create_directories(dir_.File("web/js"));
    std::ofstream(dir_.File("web/index.html")) << "<!doctype html><title>citydip</title>";
    std::ofstream(dir_.File("web/js/app.js")) << "console.log('citydip');";
    std::ofstream(dir_.File("secret.txt")) << "top secret";

    ServerOptions options;
    options.db = db_;
    options.port = 0;
    options.public_read = public_read;
    options.web_root = dir_.File("web");
    options.max_body_bytes = 64 * 1024;
    options.threads = 4;
    options.auth.password_cost = testing::FastCost();
    options.auth.clock = [this] { return now_.load(); };
    auto server = Server::Create(options);
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = std::move(*server);
    auto port = server_->Bind();
    ASSERT_TRUE(port) << port.error().ToString();
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Run(); });
    for (int i = 0; i < 200 && !server_->IsRunning(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(server_->IsRunning());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  void StopServer() {
    if (server_ != nullptr) {
      server_->Stop();
      if (thread_.joinable()) {
        thread_.join();
      }
      server_.reset();
    }
  }

  std::string Login(const std::string& name) {
    auto result = client_->Post("/api/login",
                                json{{"username", name}, {"password", name + " password!"}}.dump(),
                                "application/json");
    EXPECT_TRUE(result);
    if (!result || result->status != 200) {
      return "";
    }
    return Body(result)["token"].get<std::string>();
  }

  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  httplib::Result Post(const std::string& token, const std::string& path, const json& body) {
    return client_->Post(path, Bearer(token), body.dump(), "application/json");
  }
  httplib::Result Put(const std::string& token, const std::string& path, const json& body) {
    return client_->Put(path, Bearer(token), body.dump(), "application/json");
  }

  static json Event(const std::string& title) {
    return {{"date", "2013-05-13"},
            {"home_city", "Seoul"},
            {"partner_city", json::array({"Beijing"})},
            {"event_type", "leader_visit"},
            {"level", "mayor"},
            {"direction", "outbound"},
            {"title_en", title},
            {"title_ko", "서울시장 베이징 방문"},
            {"source_url", json::array({"https://example.org/news/1"})}};
  }

  testing::TempDir dir_;
  std::string db_;
  std::atomic<std::int64_t> now_{1'700'000'000};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpApiTest, HealthIsPublicJson) {
  auto result = client_->Get("/api/health");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Body(result)["status"], "ok");
  EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_THAT(result->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
}

// The accept queue of the listening socket, as the kernel reports it: for a socket in LISTEN
// state, TCP_INFO's tcpi_sacked is the queue's maximum length. -1 when no listening socket of
// this process is bound to `port`.
int ListenBacklog(int port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    int listening = 0;
    socklen_t size = sizeof listening;
    sockaddr_in address{};
    socklen_t address_size = sizeof address;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || listening == 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_size) != 0 ||
        address.sin_family != AF_INET || ntohs(address.sin_port) != port) {
      continue;
    }
    tcp_info info{};
    socklen_t info_size = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_size) == 0) {
      return static_cast<int>(info.tcpi_sacked);
    }
  }
  return -1;
}

// cpp-httplib's own backlog is 5; dozens of clients reconnecting at once then lose requests
// without any answer (bench/api_load saw it). The server must listen with a deep queue.
TEST_F(HttpApiTest, ListensWithADeepAcceptQueue) {
  int somaxconn = 4096;
  std::ifstream("/proc/sys/net/core/somaxconn") >> somaxconn;
  EXPECT_EQ(ListenBacklog(port_), std::min(1024, somaxconn));
}

TEST_F(HttpApiTest, ReadsWithoutLoginAreRefused) {
  for (const char* path : {"/api/events", "/api/cities/1", "/api/stats", "/api/me"}) {
    auto result = client_->Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->status, 401) << path;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    const json body = Body(result);
    EXPECT_EQ(body["error"]["code"], "unauthenticated") << path;
    EXPECT_THAT(body["error"]["message"].get<std::string>(), HasSubstr("needs a login"));
    EXPECT_TRUE(body["error"].contains("where"));
  }
  auto write = client_->Post("/api/events", Event("x").dump(), "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 401);
}

TEST_F(HttpApiTest, MadeUpTokensAreRefused) {
  auto result = client_->Get("/api/events", Bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(Body(result)["error"]["code"], "unauthenticated");
}

TEST_F(HttpApiTest, LoginGivesATokenAndAStrictHttpOnlyCookie) {
  auto result =
      client_->Post("/api/login", R"({"username": "viewer", "password": "viewer password!"})",
                    "application/json");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const json body = Body(result);
  EXPECT_EQ(body["username"], "viewer");
  EXPECT_EQ(body["role"], "viewer");
  const std::string token = body["token"];
  EXPECT_EQ(token.size(), 43U);
  const std::string cookie = result->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("citydip_session=" + token));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));

  // The token works as a bearer token and as the cookie.
  auto me = client_->Get("/api/me", Bearer(token));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(Body(me)["username"], "viewer");
  auto with_cookie = client_->Get("/api/me", {{"Cookie", "theme=dark; citydip_session=" + token}});
  ASSERT_TRUE(with_cookie);
  EXPECT_EQ(with_cookie->status, 200);
}

TEST_F(HttpApiTest, WrongPasswordIsRefusedAndRepeatedFailuresAreRateLimited) {
  const std::string wrong = R"({"username": "editor", "password": "wrong password!"})";
  for (int i = 0; i < 5; ++i) {
    auto result = client_->Post("/api/login", wrong, "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 401);
    EXPECT_EQ(Body(result)["error"]["message"], "wrong user name or password");
    EXPECT_TRUE(result->get_header_value("Set-Cookie").empty());
  }
  auto locked =
      client_->Post("/api/login", R"({"username": "editor", "password": "editor password!"})",
                    "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_EQ(Body(locked)["error"]["code"], "resource_exhausted");
  EXPECT_FALSE(locked->get_header_value("Retry-After").empty());
  EXPECT_FALSE(Body(locked).contains("token"));
  // Other users are not locked out by someone guessing editor's password.
  EXPECT_FALSE(Login("viewer").empty());
  // The lock lifts when the window has passed.
  now_ += 301;
  EXPECT_FALSE(Login("editor").empty());
}

TEST_F(HttpApiTest, LoginValidatesItsBody) {
  auto missing = client_->Post("/api/login", R"({"username": "editor"})", "application/json");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(Body(missing)["error"]["where"], "password");
  auto broken = client_->Post("/api/login", R"({"username": )", "application/json");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400);
  EXPECT_THAT(Body(broken)["error"]["message"].get<std::string>(), HasSubstr("not valid JSON"));
  auto form = client_->Post("/api/login", "username=editor&password=x",
                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
}

TEST_F(HttpApiTest, LogoutEndsTheSession) {
  const std::string token = Login("viewer");
  auto out = client_->Post("/api/logout", Bearer(token), "", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  auto after = client_->Get("/api/me", Bearer(token));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(HttpApiTest, EventLifecycleCreateGetListUpdateDelete) {
  const std::string token = Login("editor");
  auto created = Post(token, "/api/events", Event("Mayor visits Beijing"));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  json event = Body(created);
  const std::int64_t id = event["record_id"];
  EXPECT_GT(id, 0);
  EXPECT_EQ(created->get_header_value("Location"), "/api/events/" + std::to_string(id));
  EXPECT_EQ(event["title_en"], "Mayor visits Beijing");
  EXPECT_EQ(event["title_ko"], "서울시장 베이징 방문");

  auto fetched = client_->Get("/api/events/" + std::to_string(id), Bearer(token));
  ASSERT_TRUE(fetched);
  ASSERT_EQ(fetched->status, 200);
  EXPECT_EQ(Body(fetched), event);

  auto listed =
      client_->Get("/api/events?q=beijing&type=leader_visit&from=2013&to=2013", Bearer(token));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(Body(listed)["total"], 1);
  EXPECT_EQ(Body(listed)["items"][0]["record_id"], id);
  auto none = client_->Get("/api/events?q=tokyo", Bearer(token));
  ASSERT_TRUE(none);
  EXPECT_EQ(Body(none)["total"], 0);
  EXPECT_EQ(Body(none)["items"], json::array());

  event["title_en"] = "Mayor visits Beijing again";
  auto updated = Put(token, "/api/events/" + std::to_string(id), event);
  ASSERT_TRUE(updated);
  ASSERT_EQ(updated->status, 200) << updated->body;
  EXPECT_EQ(Body(updated)["title_en"], "Mayor visits Beijing again");
  EXPECT_EQ(Body(updated)["version"], event["version"].get<std::int64_t>() + 1);

  // The version read before the update is stale now.
  auto stale = Put(token, "/api/events/" + std::to_string(id), event);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(Body(stale)["error"]["code"], "conflict");

  auto deleted = client_->Delete("/api/events/" + std::to_string(id), Bearer(token));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  auto gone = client_->Get("/api/events/" + std::to_string(id), Bearer(token));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(Body(gone)["error"]["code"], "not_found");
}

TEST_F(HttpApiTest, ListsPage) {
  const std::string token = Login("editor");
  for (int i = 0; i < 5; ++i) {
    json event = Event("Visit " + std::to_string(i));
    event["date"] = "201" + std::to_string(i);
    ASSERT_EQ(Post(token, "/api/events", event)->status, 201);
  }
  auto page = client_->Get("/api/events?limit=2&offset=1", Bearer(token));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const json body = Body(page);
  EXPECT_EQ(body["total"], 5);
  ASSERT_EQ(body["items"].size(), 2U);
  EXPECT_EQ(body["items"][0]["title_en"], "Visit 1");
  auto cities = client_->Get("/api/cities?q=%EB%B2%A0%EC%9D%B4%EC%A7%95", Bearer(token));  // 베이징
  ASSERT_TRUE(cities);
  ASSERT_EQ(cities->status, 200) << cities->body;
  EXPECT_EQ(Body(cities)["total"], 1);
  EXPECT_EQ(Body(cities)["items"][0]["name_en"], "Beijing");
}

TEST_F(HttpApiTest, BadFiltersNameTheParameter) {
  const std::string token = Login("viewer");
  auto bad_type = client_->Get("/api/events?type=visitt", Bearer(token));
  ASSERT_TRUE(bad_type);
  EXPECT_EQ(bad_type->status, 400);
  EXPECT_EQ(Body(bad_type)["error"]["where"], "type");
  EXPECT_THAT(Body(bad_type)["error"]["message"].get<std::string>(),
              HasSubstr("'visitt' is not a valid event type (expected agreement, leader_visit"));
  auto unknown = client_->Get("/api/events?tpye=forum", Bearer(token));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_THAT(Body(unknown)["error"]["message"].get<std::string>(),
              HasSubstr("unknown parameter 'tpye'"));
  auto bad_limit = client_->Get("/api/events?limit=-3", Bearer(token));
  ASSERT_TRUE(bad_limit);
  EXPECT_EQ(bad_limit->status, 400);
  EXPECT_EQ(Body(bad_limit)["error"]["where"], "limit");
  auto no_kind = client_->Get("/api/planets", Bearer(token));
  ASSERT_TRUE(no_kind);
  EXPECT_EQ(no_kind->status, 404);
}

TEST_F(HttpApiTest, InvalidRecordsGetTheImportersMessagesPerField) {
  const std::string token = Login("editor");
  json event = Event("Bad");
  event["event_type"] = "visitt";
  event["date"] = "2013-13";
  auto result = Post(token, "/api/events", event);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 400) << result->body;
  const json error = Body(result)["error"];
  EXPECT_EQ(error["code"], "invalid_argument");
  ASSERT_TRUE(error["fields"].is_array());
  std::map<std::string, std::string> fields;
  for (const auto& field : error["fields"]) {
    fields[field["field"]] = field["message"];
  }
  ASSERT_TRUE(fields.count("event_type")) << error.dump();
  EXPECT_THAT(fields["event_type"], HasSubstr("'visitt' is not a valid event type"));
  ASSERT_TRUE(fields.count("date")) << error.dump();
  EXPECT_THAT(fields["date"], HasSubstr("2013-13"));
}

TEST_F(HttpApiTest, UnknownCitiesArePointedAtTheirField) {
  const std::string token = Login("editor");
  json event = Event("To Pekin");
  event["partner_city"] = json::array({"Pekin"});
  auto result = Post(token, "/api/events", event);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 400) << result->body;
  const json error = Body(result)["error"];
  EXPECT_EQ(error["where"], "partner_city");
  EXPECT_THAT(error["message"].get<std::string>(), HasSubstr("unknown city 'Pekin'"));
}

TEST_F(HttpApiTest, DuplicatesAreRefused) {
  const std::string token = Login("editor");
  ASSERT_EQ(Post(token, "/api/events", Event("Twice"))->status, 201);
  auto again = Post(token, "/api/events", Event("Twice"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_THAT(Body(again)["error"]["message"].get<std::string>(), HasSubstr("duplicate of event"));
}

TEST_F(HttpApiTest, ViewersCannotWrite) {
  const std::string token = Login("viewer");
  auto created = Post(token, "/api/events", Event("Viewer's event"));
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 403);
  EXPECT_EQ(Body(created)["error"]["code"], "permission_denied");
  EXPECT_THAT(Body(created)["error"]["message"].get<std::string>(),
              HasSubstr("(role viewer) may not write records (needs role editor)"));
  auto deleted = client_->Delete("/api/cities/1", Bearer(token));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 403);
  auto list = client_->Get("/api/events", Bearer(token));
  ASSERT_TRUE(list);
  EXPECT_EQ(Body(list)["total"], 0);
}

TEST_F(HttpApiTest, EditorsCannotManageUsersOrReadTheAudit) {
  const std::string token = Login("editor");
  for (const char* path : {"/api/users", "/api/audit"}) {
    auto result = client_->Get(path, Bearer(token));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 403) << path;
    EXPECT_EQ(Body(result)["error"]["code"], "permission_denied");
  }
  auto added = Post(token, "/api/users", {{"username", "mallory"}, {"role", "admin"}});
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 403);
  auto promoted = Put(token, "/api/users/editor", {{"role", "admin"}});
  ASSERT_TRUE(promoted);
  EXPECT_EQ(promoted->status, 403);
}

TEST_F(HttpApiTest, AdminsManageUsers) {
  const std::string token = Login("admin");
  auto added = Post(token, "/api/users", {{"username", "newbie"}, {"role", "editor"}});
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201) << added->body;
  const std::string password = Body(added)["password"];
  EXPECT_EQ(password.size(), 20U);
  auto login =
      client_->Post("/api/login", json{{"username", "newbie"}, {"password", password}}.dump(),
                    "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200);
  auto users = client_->Get("/api/users", Bearer(token));
  ASSERT_TRUE(users);
  EXPECT_EQ(Body(users)["total"], 4);
  EXPECT_THAT(users->body, Not(HasSubstr("argon2")));
  auto demoted = Put(token, "/api/users/newbie", {{"role", "viewer"}});
  ASSERT_TRUE(demoted);
  EXPECT_EQ(Body(demoted)["role"], "viewer");
  auto removed = client_->Delete("/api/users/newbie", Bearer(token));
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 204);
}

TEST_F(HttpApiTest, WritesAreAuditedWithBeforeAndAfter) {
  const std::string editor = Login("editor");
  auto created = Post(editor, "/api/events", Event("Audited"));
  ASSERT_EQ(created->status, 201);
  json event = Body(created);
  event["notes"] = "changed";
  ASSERT_EQ(
      Put(editor, "/api/events/" + std::to_string(event["record_id"].get<int>()), event)->status,
      200);
  // A refused write is audited as failed.
  event["version"] = 0;
  ASSERT_EQ(
      Put(editor, "/api/events/" + std::to_string(event["record_id"].get<int>()), event)->status,
      409);

  auto audit = client_->Get("/api/audit?kind=events", Bearer(Login("admin")));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200) << audit->body;
  const json entries = Body(audit)["items"];
  ASSERT_EQ(entries.size(), 2U) << entries.dump();  // the stale update never got past its check
  EXPECT_EQ(entries[0]["action"], "update");
  EXPECT_EQ(entries[0]["actor"], "editor");
  EXPECT_EQ(entries[0]["outcome"], "committed");
  EXPECT_EQ(entries[0]["before"]["notes"], "");
  EXPECT_EQ(entries[0]["after"]["notes"], "changed");
  EXPECT_EQ(entries[1]["action"], "create");
  EXPECT_TRUE(entries[1]["before"].is_null());
  EXPECT_EQ(entries[1]["after"]["title_en"], "Audited");
  EXPECT_EQ(entries[1]["record_id"], event["record_id"]);
}

TEST_F(HttpApiTest, SqlAndHtmlInFieldsAreStoredLiterally) {
  const std::string token = Login("editor");
  const std::string sql = "Robert'); DROP TABLE events;-- \" OR 1=1 --";
  const std::string html = "<script>alert('x')</script><img src=x onerror=alert(1)>";
  json event = Event(sql);
  event["notes"] = html;
  event["title_ko"] = "'; DELETE FROM cities; --";
  auto created = Post(token, "/api/events", event);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = std::to_string(Body(created)["record_id"].get<int>());
  auto fetched = client_->Get("/api/events/" + id, Bearer(token));
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Body(fetched)["title_en"], sql);
  EXPECT_EQ(Body(fetched)["notes"], html);
  EXPECT_EQ(Body(fetched)["title_ko"], "'; DELETE FROM cities; --");
  // Still three cities and one event: nothing was executed.
  EXPECT_EQ(Body(client_->Get("/api/cities", Bearer(token)))["total"], 3);
  EXPECT_EQ(Body(client_->Get("/api/events", Bearer(token)))["total"], 1);
  // Searching with metacharacters finds the literal text.
  httplib::Params params{{"q", "DROP TABLE events;--"}};
  auto searched = client_->Get("/api/events", params, Bearer(token));
  ASSERT_TRUE(searched);
  EXPECT_EQ(Body(searched)["total"], 1);
  auto wildcard = client_->Get("/api/events", httplib::Params{{"q", "%"}}, Bearer(token));
  ASSERT_TRUE(wildcard);
  EXPECT_EQ(Body(wildcard)["total"], 0);
}

TEST_F(HttpApiTest, PathTraversalIsRefused) {
  for (const char* path : {"/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt",
                           "/js/../../secret.txt", "/js/%2e%2e/%2e%2e/secret.txt",
                           "/../../../../etc/passwd", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                           "/js/..%5c..%5csecret.txt", "/.hidden", "//etc/passwd"}) {
    const std::string response =
        RawRequest(port_, std::string("GET ") + path +
                              " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    ASSERT_FALSE(response.empty()) << path;
    EXPECT_THAT(response, Not(HasSubstr("top secret"))) << path;
    EXPECT_THAT(response, Not(HasSubstr("root:"))) << path;
    EXPECT_THAT(response, ::testing::AnyOf(HasSubstr("HTTP/1.1 400"), HasSubstr("HTTP/1.1 404")))
        << path << "\n"
        << response;
  }
  // The dashboard itself is served.
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  auto script = client_->Get("/js/app.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
}

TEST_F(HttpApiTest, OversizedBodiesAreRefused) {
  const std::string token = Login("editor");
  json event = Event("Huge");
  event["notes"] = std::string(100 * 1024, 'x');
  auto result = Post(token, "/api/events", event);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Body(result)["error"]["code"], "resource_exhausted");
  EXPECT_EQ(Body(client_->Get("/api/events", Bearer(token)))["total"], 0);
}

TEST_F(HttpApiTest, UnknownEndpointsAreJson404s) {
  const std::string token = Login("viewer");
  auto result = client_->Get("/api/events/1/children/2", Bearer(token));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(Body(result)["error"]["code"], "not_found");
  auto missing = client_->Get("/no-such-page.html");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Content-Type"), "application/json");
}

TEST_F(HttpApiTest, OpenApiDocumentDescribesEveryKind) {
  auto result = client_->Get("/api/openapi.json");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  const json document = Body(result);
  EXPECT_EQ(document["openapi"], "3.0.3");
  for (const char* kind : {"cities", "partner_relations", "organizations", "memberships",
                           "officials", "mechanisms", "events"}) {
    EXPECT_TRUE(document["paths"].contains(std::string("/api/") + kind)) << kind;
    EXPECT_TRUE(document["paths"].contains(std::string("/api/") + kind + "/{id}")) << kind;
    EXPECT_TRUE(document["components"]["schemas"].contains(kind)) << kind;
  }
  const json event = document["components"]["schemas"]["events"];
  EXPECT_EQ(event["properties"]["source_url"]["type"], "array");
  EXPECT_THAT(event["properties"]["event_type"]["enum"].dump(), HasSubstr("leader_visit"));
  EXPECT_TRUE(document["paths"].contains("/api/login"));
  for (const char* path :
       {"/api/analyses", "/api/analyses/{name}", "/api/report", "/api/profile", "/api/stats"}) {
    EXPECT_TRUE(document["paths"].contains(path)) << path;
  }
}

TEST_F(HttpApiTest, ReportsAndAnalysesAreServed) {
  const std::string token = Login("viewer");
  auto html = client_->Get("/api/report?home=Seoul&partner=Beijing&lang=ko", Bearer(token));
  ASSERT_TRUE(html);
  ASSERT_EQ(html->status, 200) << html->body.substr(0, 300);
  EXPECT_THAT(html->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(html->body, HasSubstr("<!DOCTYPE html"));
  auto xlsx = client_->Get("/api/report?home=Seoul&partner=Beijing&format=xlsx", Bearer(token));
  ASSERT_TRUE(xlsx);
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");  // a zip container
  auto unknown = client_->Get("/api/report?home=Seoul&partner=Atlantis", Bearer(token));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_EQ(Body(unknown)["error"]["code"], "not_found");
  auto anonymous = client_->Get("/api/report?home=Seoul&partner=Beijing");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  auto visits = client_->Get("/api/analyses/visits?home=Seoul&partner=Beijing", Bearer(token));
  ASSERT_TRUE(visits);
  ASSERT_EQ(visits->status, 200) << visits->body.substr(0, 300);
  EXPECT_TRUE(Body(visits).contains("rate_confirmed")) << visits->body.substr(0, 300);
  auto no_such = client_->Get("/api/analyses/astrology?home=Seoul", Bearer(token));
  ASSERT_TRUE(no_such);
  EXPECT_EQ(no_such->status, 404) << no_such->body;
}

TEST_F(HttpApiTest, StatsAndProfilesAreServed) {
  const std::string token = Login("editor");
  ASSERT_EQ(Post(token, "/api/events", Event("Profiled"))->status, 201);
  auto stats = client_->Get("/api/stats", Bearer(token));
  ASSERT_TRUE(stats);
  ASSERT_EQ(stats->status, 200) << stats->body;
  EXPECT_EQ(Body(stats)["counts"]["events"], 1);
  auto profile = client_->Get("/api/profile?city=Beijing", Bearer(token));
  ASSERT_TRUE(profile);
  ASSERT_EQ(profile->status, 200) << profile->body;
  EXPECT_EQ(Body(profile)["city"]["name_en"], "Beijing");
  auto unknown = client_->Get("/api/profile?city=Atlantis", Bearer(token));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(HttpApiTest, SchemaListsFieldsAndVocabularies) {
  auto result = client_->Get("/api/schema", Bearer(Login("viewer")));
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  const json schema = Body(result);
  bool found = false;
  for (const auto& field : schema["kinds"]["events"]["fields"]) {
    if (field["name"] == "event_type") {
      found = true;
      EXPECT_EQ(field["vocabulary"], "event_type");
      EXPECT_TRUE(field["required"].get<bool>());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(schema["vocabularies"]["event_type"][1]["ko"], "단체장 방문");
}

TEST_F(HttpApiTest, OfficialsKeepSeveralVisitClaims) {
  const std::string token = Login("editor");
  const json official = {
      {"name_en", "Park Won-soon"},
      {"name_ko", "박원순"},
      {"city", "Seoul"},
      {"term_start", "2011-10-27"},
      {"term_end", "2020-07-09"},
      {"source_url", json::array({"https://example.org/park"})},
      {"visit_claims",
       json::array({{{"visit_partner", "Beijing"},
                     {"visit_claim", "yes"},
                     {"visit_source_url", json::array({"https://example.org/claim1"})}},
                    {{"visit_partner", "Shanghai"},
                     {"visit_claim", "no"},
                     {"visit_source_url", json::array({"https://example.org/claim2"})}}})}};
  auto created = Post(token, "/api/officials", official);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  json stored = Body(created);
  ASSERT_EQ(stored["visit_claims"].size(), 2U) << stored.dump();
  EXPECT_EQ(stored["visit_claims"][1]["visit_partner"], "Shanghai");
  EXPECT_FALSE(stored.contains("visit_partner"));
  stored["office"] = "mayor";
  auto updated =
      Put(token, "/api/officials/" + std::to_string(stored["record_id"].get<int>()), stored);
  ASSERT_TRUE(updated);
  ASSERT_EQ(updated->status, 200) << updated->body;
  EXPECT_EQ(Body(updated)["visit_claims"], stored["visit_claims"]);
  json bad = official;
  bad["visit_claims"] = "Beijing";
  auto refused = Post(token, "/api/officials", bad);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Body(refused)["error"]["where"], "visit_claims");
}

class PublicReadTest : public HttpApiTest {
 protected:
  void SetUp() override { StartServer(true); }
};

TEST_F(PublicReadTest, AnyoneReadsButWritesStillNeedALogin) {
  auto list = client_->Get("/api/events");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  auto me = client_->Get("/api/me");
  ASSERT_TRUE(me);
  EXPECT_EQ(Body(me)["authenticated"], false);
  auto write = client_->Post("/api/events", Event("Anonymous").dump(), "application/json");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 401);
  auto users = client_->Get("/api/users");
  ASSERT_TRUE(users);
  EXPECT_EQ(users->status, 401);
}

}  // namespace
}  // namespace citydip::server
