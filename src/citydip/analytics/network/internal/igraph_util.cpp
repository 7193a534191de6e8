#include "citydip/analytics/network/internal/igraph_util.h"

#include <dlfcn.h>

#include <optional>
#include <string>

namespace citydip::analytics::network::internal {
namespace {

std::mutex& IgraphMutex() {
  static std::mutex mutex;
  return mutex;
}

// Loaded once, under IgraphMutex, by the first IgraphLock.
std::optional<Result<IgraphApi>>& LoadedIgraph() {
  static std::optional<Result<IgraphApi>> loaded;
  return loaded;
}

}  // namespace

Result<IgraphApi> LoadIgraphApi(const char* soname) {
  // Never closed: igraph keeps process-wide state, and the library stays for the process's life.
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return Fail(ErrorCode::kUnavailable,
                std::string("cannot load igraph, which the network analyses need (") +
                    (why != nullptr ? why : "unknown error") + "; install Debian's libigraph3)",
                soname);
  }
  IgraphApi api;
  std::string missing;
#define CITYDIP_IGRAPH_LOOKUP(name)                                                  \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(handle, "igraph_" #name)); \
  if (api.name == nullptr) {                                                         \
    missing += (missing.empty() ? "" : ", ") + std::string("igraph_" #name);         \
  }
  CITYDIP_IGRAPH_FUNCTIONS(CITYDIP_IGRAPH_LOOKUP)
#undef CITYDIP_IGRAPH_LOOKUP
  if (!missing.empty()) {
    return Fail(ErrorCode::kUnavailable,
                "the igraph library lacks " + missing + " (expected igraph 0.10, libigraph3)",
                soname);
  }
  return api;
}

const IgraphApi& Igraph() {
  return LoadedIgraph()->value();
}

IgraphLock::IgraphLock() : lock_(IgraphMutex()) {
  auto& loaded = LoadedIgraph();
  if (!loaded) {
    loaded = LoadIgraphApi(CITYDIP_IGRAPH_SONAME);
  }
  if (!*loaded) {
    status_ = Fail(loaded->error());
    return;
  }
  previous_error_handler_ = Igraph().set_error_handler(Igraph().error_handler_ignore);
  previous_warning_handler_ = Igraph().set_warning_handler(Igraph().warning_handler_ignore);
}

IgraphLock::~IgraphLock() {
  if (ok()) {
    Igraph().set_warning_handler(previous_warning_handler_);
    Igraph().set_error_handler(previous_error_handler_);
  }
}

Status CheckIgraph(igraph_error_t code, std::string_view function) {
  if (code == IGRAPH_SUCCESS) {
    return Ok();
  }
  return Fail(ErrorCode::kInternal, std::string(function) + " failed: " + Igraph().strerror(code),
              "igraph");
}

IntVector::IntVector(igraph_integer_t size)
    : ok_(Igraph().vector_int_init(&vector_, size) == IGRAPH_SUCCESS) {}

IntVector::~IntVector() {
  if (ok_) {
    Igraph().vector_int_destroy(&vector_);
  }
}

std::size_t IntVector::size() const {
  return static_cast<std::size_t>(Igraph().vector_int_size(&vector_));
}

igraph_integer_t IntVector::operator[](std::size_t i) const {
  return VECTOR(vector_)[static_cast<igraph_integer_t>(i)];
}

RealVector::RealVector(igraph_integer_t size)
    : ok_(Igraph().vector_init(&vector_, size) == IGRAPH_SUCCESS) {}

RealVector::~RealVector() {
  if (ok_) {
    Igraph().vector_destroy(&vector_);
  }
}

std::size_t RealVector::size() const {
  return static_cast<std::size_t>(Igraph().vector_size(&vector_));
}

double RealVector::operator[](std::size_t i) const {
  return VECTOR(vector_)[static_cast<igraph_integer_t>(i)];
}

Graph::~Graph() {
  if (created_) {
    Igraph().destroy(&graph_);
  }
}

Result<std::unique_ptr<Graph>> Graph::Create(
    std::size_t vertex_count, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  IntVector edge_vector(static_cast<igraph_integer_t>(2 * edges.size()));
  if (!edge_vector.ok()) {
    return Fail(ErrorCode::kResourceExhausted,
                "cannot allocate the edge list of " + std::to_string(edges.size()) + " ties",
                "igraph");
  }
  igraph_integer_t i = 0;
  for (const auto& [a, b] : edges) {
    VECTOR(*edge_vector.get())[i++] = static_cast<igraph_integer_t>(a);
    VECTOR(*edge_vector.get())[i++] = static_cast<igraph_integer_t>(b);
  }
  auto graph = std::make_unique<Graph>();
  if (auto status = CheckIgraph(
          Igraph().create(&graph->graph_, edge_vector.get(),
                          static_cast<igraph_integer_t>(vertex_count), IGRAPH_UNDIRECTED),
          "igraph_create");
      !status) {
    return Fail(status.error());
  }
  graph->created_ = true;
  return graph;
}

}  // namespace citydip::analytics::network::internal
