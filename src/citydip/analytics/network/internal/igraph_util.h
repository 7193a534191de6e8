// RAII owners for igraph objects and the one lock around igraph. Debian's igraph is built
// without thread safety (IGRAPH_THREAD_SAFE 0): its error handler, RNG and scratch state are
// process-global, so every entry point of analytics/network holds IgraphLock while it calls
// igraph. Internal to analytics/network.
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

/// Holds the process-wide igraph mutex and installs the non-aborting error handler and the
/// silent warning handler while held (igraph aborts the process on error by default).
class IgraphLock {
 public:
  IgraphLock();
  IgraphLock(const IgraphLock&) = delete;
  IgraphLock& operator=(const IgraphLock&) = delete;
  ~IgraphLock();

 private:
  std::unique_lock<std::mutex> lock_;
  igraph_error_handler_t* previous_error_handler_;
  igraph_warning_handler_t* previous_warning_handler_;
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
