echo host > h
