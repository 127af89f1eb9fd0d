/* compute-int64: 64-bit arithmetic on a 32-bit machine (the compiler calls libgcc's
   __divdi3 and friends): multiplication, division and remainder, signed and unsigned,
   shifts, a 64-bit LCG, factorials, Fibonacci, and printf of long long values. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	uint64_t x = 88172645463325252ULL, acc = 0;
	for (int i = 0; i < 10000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		acc += x >> 33;
		acc ^= x << 7;
	}
	printf("lcg %llu %llx %016llX\n", (unsigned long long)x, (unsigned long long)acc, (unsigned long long)(x ^ acc));

	unsigned long long f = 1;
	for (int i = 1; i <= 20; i++)
		f *= i;
	printf("20! = %llu\n", f);

	long long a = 0, b = 1;
	for (int i = 0; i < 90; i++) {
		long long t = a + b;
		a = b;
		b = t;
	}
	printf("fib(90) = %lld, fib(91) = %lld\n", a, b);

	long long s = 0;
	for (long long n = -1000000007LL * 1000; n < 1000000007LL * 1000; n += 123456789012LL)
		s += n / 97 + n % 1000003 + (n >> 5);
	printf("signed sum %lld\n", s);
	printf("division: %lld %lld %llu %llu\n", -9000000000000000001LL / 7, -9000000000000000001LL % 7,
	       18000000000000000000ULL / 13, 18000000000000000000ULL % 13);
	printf("limits: %lld %lld %llu\n", (long long)INT64_MIN, (long long)INT64_MAX, (unsigned long long)UINT64_MAX);
	printf("strtoll: %lld %llu %lld\n", strtoll("-123456789012345", NULL, 10), strtoull("ffffffffffff", NULL, 16),
	       strtoll("0777", NULL, 0));
	printf("PRId64 [%20" PRId64 "] [%-20" PRIx64 "]\n", (int64_t)-1234567890123LL, (uint64_t)0xdeadbeefcafeULL);
	return (int)((x ^ acc ^ f) & 0x7f);
}
