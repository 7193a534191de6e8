#include "citydip/analytics/network/internal/igraph_util.h"

#include <string>

namespace citydip::analytics::network::internal {
namespace {

std::mutex& IgraphMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

IgraphLock::IgraphLock()
    : lock_(IgraphMutex()),
      previous_error_handler_(igraph_set_error_handler(igraph_error_handler_ignore)),
      previous_warning_handler_(igraph_set_warning_handler(igraph_warning_handler_ignore)) {}

IgraphLock::~IgraphLock() {
  igraph_set_warning_handler(previous_warning_handler_);
  igraph_set_error_handler(previous_error_handler_);
}

Status CheckIgraph(igraph_error_t code, std::string_view function) {
  if (code == IGRAPH_SUCCESS) {
    return Ok();
  }
  return Fail(ErrorCode::kInternal, std::string(function) + " failed: " + igraph_strerror(code),
              "igraph");
}

IntVector::IntVector(igraph_integer_t size)
    : ok_(igraph_vector_int_init(&vector_, size) == IGRAPH_SUCCESS) {}

IntVector::~IntVector() {
  if (ok_) {
    igraph_vector_int_destroy(&vector_);
  }
}

std::size_t IntVector::size() const {
  return static_cast<std::size_t>(igraph_vector_int_size(&vector_));
}

igraph_integer_t IntVector::operator[](std::size_t i) const {
  return VECTOR(vector_)[static_cast<igraph_integer_t>(i)];
}

RealVector::RealVector(igraph_integer_t size)
    : ok_(igraph_vector_init(&vector_, size) == IGRAPH_SUCCESS) {}

RealVector::~RealVector() {
  if (ok_) {
    igraph_vector_destroy(&vector_);
  }
}

std::size_t RealVector::size() const {
  return static_cast<std::size_t>(igraph_vector_size(&vector_));
}

double RealVector::operator[](std::size_t i) const {
  return VECTOR(vector_)[static_cast<igraph_integer_t>(i)];
}

Graph::~Graph() {
  if (created_) {
    igraph_destroy(&graph_);
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
  if (auto status =
          CheckIgraph(igraph_create(&graph->graph_, edge_vector.get(),
                                    static_cast<igraph_integer_t>(vertex_count), IGRAPH_UNDIRECTED),
                      "igraph_create");
      !status) {
    return Fail(status.error());
  }
  graph->created_ = true;
  return graph;
}

}  // namespace citydip::analytics::network::internal
