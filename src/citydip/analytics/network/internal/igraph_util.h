// RAII owners for igraph objects and the one lock around igraph. Debian's igraph is built
// without thread safety (IGRAPH_THREAD_SAFE 0): its error handler, RNG and scratch state are
// process-global, so every entry point of analytics/network holds IgraphLock while it calls
// igraph. Internal to analytics/network.
//
// igraph is not linked: the first IgraphLock loads the shared library (and with it BLAS, LAPACK,
// GLPK, ARPACK, libxml2, ICU...) with dlopen, so that a citydip command without network analysis
// does not pay for loading them at start-up (docs/decisions/0003-lazy-backends.md). igraph is
// called through Igraph(), whose members have the exact types of igraph.h's functions.
#pragma once

#include <igraph.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "citydip/core/result.h"

namespace citydip::analytics::network::internal {

// The igraph functions citydip calls (without their igraph_ prefix).
// clang-format off
#define CITYDIP_IGRAPH_FUNCTIONS(X) \
  X(betweenness) \
  X(community_leiden) \
  X(community_multilevel) \
  X(connected_components) \
  X(create) \
  X(create_bipartite) \
  X(destroy) \
  X(eigenvector_centrality) \
  X(error_handler_ignore) \
  X(get_shortest_path) \
  X(modularity) \
  X(neighbors) \
  X(rng_default) \
  X(rng_seed) \
  X(set_error_handler) \
  X(set_warning_handler) \
  X(strerror) \
  X(vector_bool_destroy) \
  X(vector_bool_init) \
  X(vector_destroy) \
  X(vector_init) \
  X(vector_int_destroy) \
  X(vector_int_init) \
  X(vector_int_size) \
  X(vector_size) \
  X(vss_all) \
  X(warning_handler_ignore)
// clang-format on

/// Pointers to igraph's functions, each of the type igraph.h declares.
struct IgraphApi {
#define CITYDIP_IGRAPH_MEMBER(name) decltype(&::igraph_##name) name = nullptr;
  CITYDIP_IGRAPH_FUNCTIONS(CITYDIP_IGRAPH_MEMBER)
#undef CITYDIP_IGRAPH_MEMBER
};

/// Loads the shared library `soname` and looks up every function of IgraphApi. kUnavailable
/// naming the library when it cannot be loaded or lacks a function.
[[nodiscard]] Result<IgraphApi> LoadIgraphApi(const char* soname);

/// igraph's functions; only valid while an IgraphLock that is ok() is held.
[[nodiscard]] const IgraphApi& Igraph();

/// Holds the process-wide igraph mutex, loads igraph the first time, and installs the
/// non-aborting error handler and the silent warning handler while held (igraph aborts the
/// process on error by default). When igraph cannot be loaded, ok() is false and status() says
/// why; no igraph function may be called then.
class IgraphLock {
 public:
  IgraphLock();
  IgraphLock(const IgraphLock&) = delete;
  IgraphLock& operator=(const IgraphLock&) = delete;
  ~IgraphLock();

  [[nodiscard]] bool ok() const { return status_.has_value(); }
  [[nodiscard]] const Status& status() const { return status_; }

 private:
  std::unique_lock<std::mutex> lock_;
  Status status_;
  igraph_error_handler_t* previous_error_handler_ = nullptr;
  igraph_warning_handler_t* previous_warning_handler_ = nullptr;
};

/// kInternal naming the igraph function and igraph's message for `code`; Ok() for success.
[[nodiscard]] Status CheckIgraph(igraph_error_t code, std::string_view function);

/// An igraph_vector_int_t that frees itself.
class IntVector {
 public:
  explicit IntVector(igraph_integer_t size = 0);
  IntVector(const IntVector&) = delete;
  IntVector& operator=(const IntVector&) = delete;
  ~IntVector();
  [[nodiscard]] igraph_vector_int_t* get() { return &vector_; }
  [[nodiscard]] const igraph_vector_int_t* get() const { return &vector_; }
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] igraph_integer_t operator[](std::size_t i) const;
  /// Whether construction succeeded (igraph reports allocation failure by return code).
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  igraph_vector_int_t vector_;
  bool ok_ = false;
};

/// An igraph_vector_t (of doubles) that frees itself.
class RealVector {
 public:
  explicit RealVector(igraph_integer_t size = 0);
  RealVector(const RealVector&) = delete;
  RealVector& operator=(const RealVector&) = delete;
  ~RealVector();
  [[nodiscard]] igraph_vector_t* get() { return &vector_; }
  [[nodiscard]] const igraph_vector_t* get() const { return &vector_; }
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] double operator[](std::size_t i) const;
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  igraph_vector_t vector_;
  bool ok_ = false;
};

/// An undirected igraph_t built from an edge list over vertices 0..vertex_count-1.
class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph();

  /// Builds the graph; call under IgraphLock.
  [[nodiscard]] static Result<std::unique_ptr<Graph>> Create(
      std::size_t vertex_count, const std::vector<std::pair<std::size_t, std::size_t>>& edges);

  [[nodiscard]] const igraph_t* get() const { return &graph_; }

 private:
  igraph_t graph_{};
  bool created_ = false;
};

}  // namespace citydip::analytics::network::internal
