int f1(void)
{
	return 1 * 1;
}
