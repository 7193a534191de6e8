#include "citydip/storage/clickhouse/clickhouse_http.h"

#include <httplib.h>

#include <string_view>

namespace citydip::storage::clickhouse {
namespace {

constexpr time_t kConnectSeconds = 5;
constexpr time_t kReadSeconds = 600;  // a long scan on a big history

std::string_view TrimText(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

httplib::Client MakeClient(const std::string& url) {
  httplib::Client client(url);
  client.set_connection_timeout(kConnectSeconds, 0);
  client.set_read_timeout(kReadSeconds, 0);
  client.set_write_timeout(kReadSeconds, 0);
  client.set_keep_alive(false);
  return client;
}

// The first line of a ClickHouse error answer ("Code: 60, e.displayText() = DB::Exception: ...").
std::string ServerMessage(const std::string& body) {
  std::string_view text = TrimText(body);
  const std::size_t newline = text.find('\n');
  if (newline != std::string_view::npos) {
    text = text.substr(0, newline);
  }
  constexpr std::size_t kMax = 600;
  return std::string(text.substr(0, kMax));
}

}  // namespace

Result<ClickHouseHttp> ClickHouseHttp::Parse(const std::string& urls) {
  ClickHouseHttp http;
  std::string_view rest = urls;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string url(TrimText(rest.substr(0, comma)));
    if (!url.empty()) {
      while (url.ends_with('/')) {
        url.pop_back();
      }
      const std::size_t host = url.find("://");
      const bool http_scheme = url.starts_with("http://");
      if (!http_scheme || url.size() <= host + 3 || url.find('/', host + 3) != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    "'" + url +
                        "' is not a ClickHouse HTTP address (expected http://HOST:PORT, such as "
                        "http://127.0.0.1:8123)");
      }
      http.shards_.push_back(std::move(url));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  if (http.shards_.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no ClickHouse address given (expected --warehouse URL[,URL...])");
  }
  return http;
}

Result<std::string> ClickHouseHttp::Execute(
    std::size_t shard,
    const std::string& sql,
    const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& settings) const {
  if (shard >= shards_.size()) {
    return Fail(ErrorCode::kInternal, "no shard " + std::to_string(shard));
  }
  const std::string& url = shards_[shard];
  httplib::Client client = MakeClient(url);
  httplib::Params params;
  for (const auto& [name, value] : settings) {
    params.emplace(name, value);
  }
  std::string payload;
  if (body.empty()) {
    payload = sql;
  } else {
    params.emplace("query", sql);
    payload = body;
  }
  const std::string path =
      params.empty() ? "/" : "/?" + httplib::detail::params_to_query_str(params);
  auto response = client.Post(path, payload, "text/plain; charset=UTF-8");
  if (!response) {
    return Fail(ErrorCode::kUnavailable,
                "the ClickHouse shard " + url + " cannot be reached (" +
                    httplib::to_string(response.error()) +
                    " error; is clickhouse-server running there?)",
                url);
  }
  if (response->status != 200 && response->body.starts_with("Code: 60,")) {
    // UNKNOWN_TABLE: the warehouse was never initialized on this shard.
    return Fail(
        ErrorCode::kFailedPrecondition,
        "the ClickHouse shard " + url + " has no warehouse table (run `citydip warehouse " +
            "init --clickhouse URL,... --cluster NAME` first): " + ServerMessage(response->body),
        url);
  }
  if (response->status != 200) {
    return Fail(ErrorCode::kUnavailable,
                "the ClickHouse shard " + url + " answered HTTP " +
                    std::to_string(response->status) + ": " + ServerMessage(response->body),
                url);
  }
  return std::move(response->body);
}

Status ClickHouseHttp::ExecuteOnAll(const std::string& sql) const {
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    auto done = Execute(i, sql);
    if (!done) {
      return Fail(done.error());
    }
  }
  return Ok();
}

Status ClickHouseHttp::PingAll() const {
  for (const auto& url : shards_) {
    httplib::Client client = MakeClient(url);
    client.set_read_timeout(kConnectSeconds, 0);
    auto response = client.Get("/ping");
    if (!response) {
      return Fail(ErrorCode::kUnavailable,
                  "the ClickHouse shard " + url + " cannot be reached (" +
                      httplib::to_string(response.error()) +
                      " error; every shard is needed, so no partial result is given)",
                  url);
    }
    if (response->status != 200 || TrimText(response->body) != "Ok.") {
      return Fail(ErrorCode::kUnavailable,
                  "the ClickHouse shard " + url + " does not answer /ping (HTTP " +
                      std::to_string(response->status) + ")",
                  url);
    }
  }
  return Ok();
}

}  // namespace citydip::storage::clickhouse
