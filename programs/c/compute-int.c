/* compute-int: integer work only. A sieve of primes, gcds, Collatz lengths, a 32-bit
   multiply-xorshift hash, bit counting, signed division and remainder; exits with the
   low 7 bits of a checksum. The output is the same on any i386 C library. */
#include <stdio.h>

static unsigned char composite[100000];

static unsigned gcd(unsigned a, unsigned b)
{
	while (b) {
		unsigned t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static int collatz(unsigned n)
{
	int steps = 0;
	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

int main(void)
{
	int primes = 0, last = 0;
	for (int i = 2; i < 100000; i++) {
		if (composite[i])
			continue;
		primes++;
		last = i;
		for (int j = 2 * i; j < 100000; j += i)
			composite[j] = 1;
	}
	printf("primes below 100000: %d, the largest %d\n", primes, last);

	unsigned g = 0;
	for (unsigned a = 1; a <= 300; a++)
		for (unsigned b = 1; b <= 300; b++)
			g += gcd(a, b);
	printf("sum of gcd(a, b) for a, b in 1..300: %u\n", g);

	int best = 0, arg = 0;
	for (unsigned n = 1; n < 30000; n++) {
		int s = collatz(n);
		if (s > best) {
			best = s;
			arg = n;
		}
	}
	printf("longest Collatz chain below 30000: %d steps from %d\n", best, arg);

	unsigned h = 2166136261u;
	for (int i = 0; i < 100000; i++) {
		h ^= (unsigned)i;
		h *= 16777619u;
		h ^= h >> 13;
	}
	printf("hash %08x %u\n", h, h % 1000003u);

	int bits = 0;
	for (unsigned v = 0; v < 65536; v++)
		for (unsigned w = v; w; w &= w - 1)
			bits++;
	printf("bits set in 0..65535: %d\n", bits);

	int q = 0, r = 0;
	for (int a = -50; a <= 50; a++)
		for (int b = -7; b <= 7; b++)
			if (b != 0) {
				q += a / b;
				r += (a % b) * b;
			}
	printf("signed division: %d %d; %d %d %d %d\n", q, r, -7 / 2, -7 % 2, 7 / -2, 7 % -2);
	printf("widths: [%5d] [%-5d] [%05d] [%+d] [%x] [%X] [%o] [%#x] [%u]\n", 42, 42, 42, 42, 255, 255, 8, 255, 4000000000u);
	unsigned sum = primes + g + (unsigned)best + h + (unsigned)bits + (unsigned)q;
	return (int)(sum & 0x7f);
}
