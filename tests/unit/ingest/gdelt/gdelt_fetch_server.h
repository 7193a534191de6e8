// A local GDELT mirror for the fetch tests: an HTTP server on 127.0.0.1 (a free port) serving
// gdeltv2/masterfilelist.txt and zipped copies of the shipped samples. Fixture behaviour:
// 20150218231500.export.CSV.zip answers 503 twice before the file; 20150218233000 is served
// damaged (bytes differ from the MD5 in the list); the 2018 file lies outside 2015-02-18.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "citydip/ingest/gdelt/gdelt_ingest.h"
#include "gdelt_test_support.h"
#include "reference_barometer.h"

namespace citydip::test {

class FetchServer {
 public:
  struct Served {
    std::string bytes;       // what the server sends
    std::string listed_md5;  // what the list says
    std::size_t listed_size = 0;
  };

  explicit FetchServer(const std::string& work_dir) : work_dir_(work_dir) {
    std::filesystem::create_directories(work_dir_);
    for (const char* stamp :
         {"20150218230000", "20150218231500", "20150218233000", "20150218234500"}) {
      const std::string name = std::string(stamp) + ".export.CSV";
      const std::string zip = work_dir_ + "/" + name + ".zip";
      WriteZip(zip, name, ReadText(DataPath("samples/v2/" + name)));
      Add(name + ".zip", ReadText(zip));
    }
    Add("20180101000000.export.CSV.zip",
        ReadText(DataPath("samples/v2/20180101000000.export.CSV.zip")));
    Add("20150218230000.mentions.CSV.zip",
        ReadText(DataPath("samples/v2/20150218230000.mentions.CSV.zip")));
    // Damaged in transit: a byte of the served copy differs from the listed file.
    Served& damaged = files_["20150218233000.export.CSV.zip"];
    damaged.bytes[damaged.bytes.size() / 2] =
        static_cast<char>(damaged.bytes[damaged.bytes.size() / 2] ^ 0x01);
  }

  ~FetchServer() { Stop(); }
  FetchServer(const FetchServer&) = delete;
  FetchServer& operator=(const FetchServer&) = delete;

  bool Start() {
    server_.Get("/gdeltv2/masterfilelist.txt",
                [this](const httplib::Request&, httplib::Response& res) {
                  std::string list;
                  for (const auto& [name, served] : files_) {
                    list += std::to_string(served.listed_size) + " " + served.listed_md5 +
                            " http://data.gdeltproject.org/gdeltv2/" + name + "\n";
                  }
                  list +=
                      "10768507 ea8dde0beb0ba98810a92db068c0ce99 "
                      "http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip\n";
                  res.set_content(list, "text/plain");
                });
    server_.Get(R"(/gdeltv2/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1];
      std::lock_guard lock(mutex_);
      const int count = ++requests_[name];
      if (req.has_header("Range")) {
        ranges_[name] = req.get_header_value("Range");
      }
      const auto found = files_.find(name);
      if (found == files_.end()) {
        res.status = 404;
        return;
      }
      if (name == "20150218231500.export.CSV.zip" && count <= 2) {
        res.status = 503;
        res.set_content("busy", "text/plain");
        return;
      }
      res.set_content(found->second.bytes, "application/zip");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) {
      return false;
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return server_.is_running();
  }

  void Stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  /// Forgets the request counts; the 503 answers start again.
  void ResetCounts() {
    std::lock_guard lock(mutex_);
    requests_.clear();
    ranges_.clear();
  }

  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const Served& file(const std::string& name) const { return files_.at(name); }
  [[nodiscard]] int requests_of(const std::string& name) {
    std::lock_guard lock(mutex_);
    return requests_[name];
  }
  [[nodiscard]] std::string range_of(const std::string& name) {
    std::lock_guard lock(mutex_);
    return ranges_[name];
  }

 private:
  void Add(const std::string& name, const std::string& bytes) {
    const std::string path = work_dir_ + "/" + name;
    WriteText(path, bytes);
    Served served;
    served.bytes = bytes;
    served.listed_md5 = *ingest::gdelt::Md5OfFile(path);
    served.listed_size = bytes.size();
    files_[name] = served;
  }

  std::string work_dir_;
  std::map<std::string, Served> files_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::map<std::string, int> requests_;
  std::map<std::string, std::string> ranges_;
};

}  // namespace citydip::test
