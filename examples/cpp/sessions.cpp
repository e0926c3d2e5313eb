// A session table with the C++ map mistakes mapsafe reports.
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct Session {
    std::string user;
    bool expired;
};

// Erases the element the loop stands on, then advances the invalidated
// iterator: undefined behaviour (MS101).
void drop_expired(std::unordered_map<int, Session> &sessions) {
    for (auto it = sessions.begin(); it != sessions.end(); ++it) {
        if (it->second.expired)
            sessions.erase(it);
    }
}

// Continues from the iterator erase returns.
void drop_expired_safely(std::unordered_map<int, Session> &sessions) {
    for (auto it = sessions.begin(); it != sessions.end();) {
        if (it->second.expired)
            it = sessions.erase(it);
        else
            ++it;
    }
}

class Registry {
    std::mutex mu_;
    std::unordered_map<std::string, int> logins_;

  public:
    // Two threads count logins into the same map without the mutex: a
    // data race (MS201).
    void count_in_parallel(const std::vector<std::string> &a, const std::vector<std::string> &b) {
        auto count = [this](const std::vector<std::string> &users) {
            for (const auto &u : users)
                logins_[u]++;
        };
        std::thread t1(count, std::cref(a));
        std::thread t2(count, std::cref(b));
        t1.join();
        t2.join();
    }

    // The same with a lock_guard around each write.
    void count_in_parallel_safely(const std::vector<std::string> &a,
                                  const std::vector<std::string> &b) {
        auto count = [this](const std::vector<std::string> &users) {
            for (const auto &u : users) {
                std::lock_guard<std::mutex> hold(mu_);
                logins_[u]++;
            }
        };
        std::thread t1(count, std::cref(a));
        std::thread t2(count, std::cref(b));
        t1.join();
        t2.join();
    }
};
