#include "support/live_api.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "citydip/app/auth_service.h"
#include "citydip/app/store_factory.h"
#include "citydip/core/model.h"

namespace citydip::test_support {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

City SyntheticCity(const std::string& name_en, const std::string& name_ko, const std::string& cc) {
  City city;
  city.name_en = name_en;
  city.name_ko = name_ko;
  city.country = cc;
  city.sources = {"https://example.invalid/synthetic-test-city"};  // test data, not a fact
  return city;
}

httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Latencies and counts of one thread, merged at the end.
struct Tally {
  std::vector<double> latencies_ms;
  std::int64_t ok = 0;
  std::int64_t conflicts = 0;
  std::int64_t errors = 0;
  std::int64_t connection_errors = 0;
  std::string first_error;

  void Record(const httplib::Result& result, Clock::duration took) {
    latencies_ms.push_back(Millis(took));
    if (!result) {
      ++connection_errors;
      if (first_error.empty()) {
        first_error = "connection: " + httplib::to_string(result.error());
      }
    } else if (result->status >= 200 && result->status < 300) {
      ++ok;
    } else if (result->status == 409) {
      ++conflicts;
    } else {
      ++errors;
      if (first_error.empty()) {
        first_error = std::to_string(result->status) + " " + result->body.substr(0, 300);
      }
    }
  }
};

OpStats Summarize(std::vector<Tally>& tallies) {
  OpStats stats;
  std::vector<double> all;
  for (auto& tally : tallies) {
    stats.ok += tally.ok;
    stats.conflicts += tally.conflicts;
    stats.errors += tally.errors;
    stats.connection_errors += tally.connection_errors;
    if (stats.first_error.empty()) {
      stats.first_error = tally.first_error;
    }
    all.insert(all.end(), tally.latencies_ms.begin(), tally.latencies_ms.end());
  }
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    auto at = [&](double q) {
      return all[std::min(all.size() - 1, static_cast<std::size_t>(q * (all.size() - 1) + 0.5))];
    };
    stats.p50_ms = at(0.50);
    stats.p99_ms = at(0.99);
    stats.max_ms = all.back();
  }
  return stats;
}

std::unique_ptr<httplib::Client> NewClient(int port) {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port);
  // Keep-alive, as browsers do. (A connection per request gave more client-side read errors
  // under 32+32 load; see the closing note of session 2 — not yet explained.)
  client->set_keep_alive(true);
  client->set_read_timeout(60, 0);
  client->set_write_timeout(60, 0);
  return client;
}

}  // namespace

Result<std::unique_ptr<LiveApi>> LiveApi::Start(const std::string& db, int threads) {
  {
    auto store = app::OpenStore(db, app::OpenMode::kInit);
    if (!store) {
      return Fail(store.error());
    }
    for (const auto& city :
         {SyntheticCity("Seoul", "서울", "KOR"), SyntheticCity("Beijing", "베이징", "CHN"),
          SyntheticCity("Shanghai", "상하이", "CHN")}) {
      if (auto id = (*store)->Insert(city); !id) {
        return Fail(id.error());
      }
    }
    auto auth_store = app::OpenAuthStore(db);
    if (!auth_store) {
      return Fail(auth_store.error());
    }
    app::AuthOptions auth_options;
    auth_options.password_cost = {1, 8192};  // libsodium's cheapest Argon2id: one login per run
    app::AuthService auth(auth_options);
    const app::Actor root{0, "cli:test", app::Role::kAdmin};
    auto user = auth.AddUser(**auth_store, root, "editor", app::Role::kEditor, kEditorPassword);
    if (!user) {
      return Fail(user.error());
    }
  }
  server::ServerOptions options;
  options.db = db;
  options.port = 0;
  options.threads = threads;
  auto server = server::Server::Create(options);
  if (!server) {
    return Fail(server.error());
  }
  std::unique_ptr<LiveApi> api(new LiveApi());
  api->server_ = std::move(*server);
  auto port = api->server_->Bind();
  if (!port) {
    return Fail(port.error());
  }
  api->port_ = *port;
  server::Server* raw = api->server_.get();
  api->thread_ = std::thread([raw] { (void)raw->Run(); });
  for (int i = 0; i < 500 && !raw->IsRunning(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!raw->IsRunning()) {
    return Fail(ErrorCode::kUnavailable, "the API server did not start", db);
  }
  return api;
}

LiveApi::~LiveApi() {
  if (server_ != nullptr) {
    server_->Stop();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

Result<std::string> LiveApi::LoginEditor() const {
  httplib::Client client("127.0.0.1", port_);
  auto result =
      client.Post("/api/login", json{{"username", "editor"}, {"password", kEditorPassword}}.dump(),
                  "application/json");
  if (!result || result->status != 200) {
    return Fail(ErrorCode::kUnauthenticated,
                "login failed: " + (result ? result->body : httplib::to_string(result.error())),
                "/api/login");
  }
  return json::parse(result->body)["token"].get<std::string>();
}

std::string EventJson(const std::string& title) {
  return json{{"date", "2013-05-13"},
              {"home_city", "Seoul"},
              {"partner_city", json::array({"Beijing"})},
              {"event_type", "delegation_visit"},
              {"level", "department"},
              {"direction", "outbound"},
              {"title_en", title},
              {"title_ko", "합성 테스트 행사"},
              {"source_url", json::array({"https://example.invalid/synthetic-test-event"})}}
      .dump();
}

LoadReport RunLoad(int port, const std::string& token, const LoadOptions& options) {
  const auto headers = Bearer(token);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(options.seconds));
  std::vector<Tally> write_tallies(options.writers);
  std::vector<Tally> read_tallies(options.readers);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int w = 0; w < options.writers; ++w) {
    threads.emplace_back([&, w] {
      auto client = NewClient(port);
      Tally& tally = write_tallies[w];
      for (int n = 0; Clock::now() < deadline; ++n) {
        const std::string title = "load writer " + std::to_string(w) + " #" + std::to_string(n);
        auto t0 = Clock::now();
        auto created = client->Post("/api/events", headers, EventJson(title), "application/json");
        tally.Record(created, Clock::now() - t0);
        if (!created || created->status != 201) {
          continue;
        }
        json event = json::parse(created->body);
        event["title_en"] = title + " (updated)";
        const std::string path = "/api/events/" + std::to_string(event["record_id"].get<long>());
        t0 = Clock::now();
        auto updated = client->Put(path, headers, event.dump(), "application/json");
        tally.Record(updated, Clock::now() - t0);
      }
    });
  }
  for (int r = 0; r < options.readers; ++r) {
    threads.emplace_back([&, r] {
      auto client = NewClient(port);
      Tally& tally = read_tallies[r];
      for (int n = 0; Clock::now() < deadline; ++n) {
        auto t0 = Clock::now();
        auto listed =
            client->Get("/api/events?from=2013&to=2013&type=delegation_visit&limit=20&offset=" +
                            std::to_string((n * 7 + r) % 50),
                        headers);
        tally.Record(listed, Clock::now() - t0);
        if (!listed || listed->status != 200) {
          continue;
        }
        const json page = json::parse(listed->body);
        if (page["items"].empty()) {
          continue;
        }
        const long id = page["items"][0]["record_id"].get<long>();
        t0 = Clock::now();
        auto one = client->Get("/api/events/" + std::to_string(id), headers);
        tally.Record(one, Clock::now() - t0);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  LoadReport report;
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report.writes = Summarize(write_tallies);
  report.reads = Summarize(read_tallies);
  return report;
}

CounterResult RunCounter(int port, const std::string& token, int writers, int increments) {
  CounterResult result;
  const auto headers = Bearer(token);
  auto setup = NewClient(port);
  auto created = setup->Post("/api/events", headers, EventJson("counter 0"), "application/json");
  if (!created || created->status != 201) {
    result.error = "cannot create the counter: " +
                   (created ? created->body : httplib::to_string(created.error()));
    return result;
  }
  const std::string path =
      "/api/events/" + std::to_string(json::parse(created->body)["record_id"].get<long>());
  std::atomic<std::int64_t> successes{0};
  std::atomic<std::int64_t> conflicts{0};
  std::mutex error_mutex;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      auto client = NewClient(port);
      auto fail = [&](const std::string& what) {
        std::lock_guard lock(error_mutex);
        if (result.error.empty()) {
          result.error = what;
        }
      };
      for (int done = 0; done < increments;) {
        auto got = client->Get(path, headers);
        if (!got || got->status != 200) {
          fail("GET " + path + ": " + (got ? got->body : httplib::to_string(got.error())));
          return;
        }
        json event = json::parse(got->body);
        const std::string title = event["title_en"].get<std::string>();
        const long value = std::stol(title.substr(title.find(' ') + 1));
        event["title_en"] = "counter " + std::to_string(value + 1);
        auto put = client->Put(path, headers, event.dump(), "application/json");
        if (put && put->status == 200) {
          ++successes;
          ++done;
        } else if (put && put->status == 409) {
          ++conflicts;  // someone else wrote first: read again and retry
        } else {
          fail("PUT " + path + ": " +
               (put ? std::to_string(put->status) + " " + put->body
                    : httplib::to_string(put.error())));
          return;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  result.successful_updates = successes.load();
  result.conflicts = conflicts.load();
  auto final_event = setup->Get(path, headers);
  if (final_event && final_event->status == 200) {
    const std::string title = json::parse(final_event->body)["title_en"].get<std::string>();
    result.final_value = std::stol(title.substr(title.find(' ') + 1));
  }
  return result;
}

}  // namespace citydip::test_support
