from khizmat.cli import main

main()
