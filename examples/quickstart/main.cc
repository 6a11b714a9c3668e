#include <iostream>

#include "deltacat/runtime.h"

int main() {
  deltacat::RuntimeScope runtime;
  std::cout << deltacat::VersionString() << std::endl;
  return 0;
}
