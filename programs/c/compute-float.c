/* compute-float: double arithmetic, newlib's libm and printf of doubles (%f %e %g with
   widths and precisions), strtod, the drand48 family. The libm results are printed to
   10 significant digits so that two correct libms agree. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	double pi = 0;
	for (int k = 0; k < 100000; k++)
		pi += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
	printf("Leibniz pi %.10f\n", pi);

	double e = 1, term = 1;
	for (int k = 1; k < 20; k++) {
		term /= k;
		e += term;
	}
	printf("e %.12f %e %g\n", e, e, e);

	printf("libm: %.10g %.10g %.10g %.10g\n", sin(1.0), cos(1.0), tan(0.5), atan2(1.0, 2.0));
	printf("libm: %.10g %.10g %.10g %.10g\n", exp(2.5), log(10.0), log10(12345.0), pow(2.0, 0.5));
	printf("libm: %.10g %.10g %.10g %.10g\n", sqrt(2.0), fabs(-3.25), floor(-2.5), ceil(-2.5));
	printf("libm: %.10g %.10g %.10g\n", fmod(10.0, 3.0), hypot(3.0, 4.0), ldexp(0.75, 10));

	printf("[%8.3f] [%-8.2f] [%08.3f] [%+.2f] [%.0f] [%.0f]\n", 3.14159, 2.5, -1.5, 7.0, 0.5, 1.5);
	printf("[%e] [%.3e] [%12.4E] [%g] [%g] [%g] [%G]\n", 123456.789, 0.000123456, 6.02214076e23, 100000.0, 1000000.0,
	       0.0001, 1e-5);
	printf("[%.3g] [%.10g] [%g] [%#g] [%g]\n", 1234.5678, 1.0 / 3, 0.1 + 0.2, 1.0, -0.0);
	volatile double big = 1e30;
	printf("1e30 %.0f, DBL_MAX-ish %e\n", big, 1.7976931348623157e308);
	printf("inf %f %e, isnan(0/0) %d\n", HUGE_VAL, -HUGE_VAL, isnan(0.0 / 0.0) != 0);

	char *end;
	printf("strtod: %.17g %.17g %g %g\n", strtod("0.1", NULL), strtod("2.2250738585072014e-308", NULL),
	       strtod("-1.5e3xyz", &end), atof("  12.5"));
	printf("strtod stopped at \"%s\"\n", end);

	srand48(12345);
	double s = 0;
	for (int i = 0; i < 1000; i++)
		s += drand48();
	printf("drand48 sum %.6f, lrand48 %ld, mrand48 %ld\n", s, lrand48(), mrand48());
	unsigned short xsubi[3] = { 1, 2, 3 };
	printf("erand48 %.12f, nrand48 %ld\n", erand48(xsubi), nrand48(xsubi));

	double m = 0;
	for (int i = 1; i <= 1000; i++)
		m += 1.0 / ((double)i * i);
	printf("sum 1/n^2 %.12f, pi^2/6 %.12f\n", m, pi * pi / 6);
	float fl = 1.0f / 3.0f;
	printf("float %.9f, (double)float %.17g, int %d %d\n", fl, (double)fl, (int)2.999, (int)-2.999);
	return (int)((long)(pi * 1000) & 0x7f);
}
