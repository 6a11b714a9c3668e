#include <iostream>

#include "deltacat/runtime.h"

int main(int argc, char** argv) {
  deltacat::RuntimeScope runtime;
  std::cout << deltacat::VersionString() << std::endl;
  return 0;
}
